// Where each tier's binary is, so a parent tier can start it without importing its code.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Tier } from './paths.js';

const require = createRequire(import.meta.url);

/** Absolute path of the JavaScript entry of `tripod-<tier>` (the package's `bin`). */
export function tierBinary(tier: Tier): string {
  const manifest = require.resolve(`@tripod/${tier}/package.json`);
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  const bin = pkg.bin[`tripod-${tier}`];
  if (!bin) throw new Error(`@tripod/${tier} declares no tripod-${tier} binary`);
  return join(dirname(manifest), bin);
}

/**
 * V8 flags a tier runs with. The cop and the manager supervise: a few syscalls a second, no request
 * path. `--lite-mode` (no optimizing compilers, lazy feedback vectors) and a 1 MiB young generation
 * (the default grows to 16 MiB per semi-space) take 5–7 MiB of RSS off each (docs/memory.md). A server
 * serves requests and keeps V8's defaults.
 */
export const TIER_NODE_FLAGS: Readonly<Record<Tier, readonly string[]>> = {
  cop: ['--lite-mode', '--max-semi-space-size=1'],
  manager: ['--lite-mode', '--max-semi-space-size=1'],
  server: [],
};

/** `node` arguments that start `tripod-<tier>`: its V8 flags, then its entry. Append the tier's own arguments. */
export function tierArgv(tier: Tier): string[] {
  return [...TIER_NODE_FLAGS[tier], tierBinary(tier)];
}
