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
