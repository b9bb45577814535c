// Tests that run a tier as another user (uid 65534) need a build that user can read: the checkout may
// live in a directory only its owner can enter (root's home, any 0700 directory). This copies the built
// packages and their runtime dependencies into a world-readable temp directory, once per test process.
import { chmodSync, cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './instance.js';

let copy: string | null = null;
const SKIP_MODULES = new Set(['typescript', '@types', '.bin', '.package-lock.json']);

/** The root of a world-readable copy of the build (packages' bin, dist and manifests; node_modules without dev tools). */
export function readableBuild(): string {
  if (copy) return copy;
  const dir = tempDir('tripod-test-build-');
  chmodSync(dir, 0o755);
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    for (const part of ['package.json', 'bin', 'dist/src'].filter((p) => existsSync(join(ROOT, 'packages', pkg, p)))) {
      cpSync(join(ROOT, 'packages', pkg, part), join(dir, 'packages', pkg, part), { recursive: true, verbatimSymlinks: true });
    }
  }
  for (const mod of readdirSync(join(ROOT, 'node_modules')).filter((m) => !SKIP_MODULES.has(m))) {
    cpSync(join(ROOT, 'node_modules', mod), join(dir, 'node_modules', mod), { recursive: true, verbatimSymlinks: true });
  }
  // cpSync keeps the modes: make every directory enterable and every file readable by all.
  chmodTree(dir);
  copy = dir;
  return dir;
}

function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chmodTree(path);
    else if (entry.isFile()) chmodSync(path, 0o755);
  }
}

/** The cop's entry script in the readable copy. */
export function readableCop(): string {
  return join(readableBuild(), 'packages/cop/bin/tripod-cop.js');
}
