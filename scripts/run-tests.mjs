#!/usr/bin/env node
// Runs every compiled test: unit tests of each package first (in parallel), then the end-to-end tests
// under test/ (two at a time: they start real process trees on a 2-core machine).
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.js') || name.endsWith('.test.mjs')) found.push(path);
  }
  return found.sort();
}

const filter = process.argv[2];
const packages = readdirSync(join(root, 'packages'));
const unit = [
  ...packages.flatMap((p) => findTests(join(root, 'packages', p, 'dist', 'test'))),
  ...findTests(join(root, 'scripts', 'bench', 'dist', 'test')),
];
const e2e = findTests(join(root, 'test', 'dist', 'e2e'));

function run(files, concurrency) {
  const chosen = filter ? files.filter((f) => f.includes(filter)) : files;
  if (chosen.length === 0) return 0;
  const args = ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000', ...chosen];
  return spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root }).status ?? 1;
}

const unitStatus = run(unit, 4);
const e2eStatus = run(e2e, 2);
process.exit(unitStatus || e2eStatus);
