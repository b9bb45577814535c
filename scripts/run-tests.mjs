#!/usr/bin/env node
// Runs every compiled test: unit tests of each package first (in parallel), then the end-to-end tests
// under test/ (two at a time: they start real process trees on a 2-core machine). Every test process
// gets TMPDIR set to one fresh directory of this run; afterwards any process that still carries it
// (a test that forgot to stop what it started) is named and killed, the run fails, and the directory
// is removed, so a run leaves nothing behind in the temp dir and no process.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** PIDs of processes whose environment holds `entry` (TMPDIR=<this run's dir>), with their command lines. */
function processesWith(entry) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(entry)) continue;
      const state = readFileSync(`/proc/${name}/stat`, 'latin1').split(') ').pop().split(' ')[0];
      if (state === 'Z') continue;
      found.push({ pid: Number(name), cmd: readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0').join(' ').slice(0, 160) });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

const filter = process.argv[2];
const packages = readdirSync(join(root, 'packages'));
const unit = [
  ...packages.flatMap((p) => findTests(join(root, 'packages', p, 'dist', 'test'))),
  ...findTests(join(root, 'scripts', 'bench', 'dist', 'test')),
];
const e2e = findTests(join(root, 'test', 'dist', 'e2e'));
const runTmp = mkdtempSync(join(tmpdir(), 'tripod-tests-'));
chmodSync(runTmp, 0o711); // tests that run a tier as another user (uid 65534) make their directories below it
const env = { ...process.env, TMPDIR: runTmp };

function run(files, concurrency) {
  const chosen = filter ? files.filter((f) => f.includes(filter)) : files;
  if (chosen.length === 0) return 0;
  const args = ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000', ...chosen];
  return spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root, env }).status ?? 1;
}

const unitStatus = run(unit, 4);
const e2eStatus = run(e2e, 2);
const leaked = processesWith(`TMPDIR=${runTmp}`);
for (const p of leaked) {
  process.stderr.write(`run-tests: a test left PID ${p.pid} running: ${p.cmd}\n`);
  try {
    process.kill(p.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
const left = readdirSync(runTmp);
if (left.length > 0) process.stderr.write(`run-tests: removing what tests left in the temp dir: ${left.join(', ')}\n`);
rmSync(runTmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
process.exit(unitStatus || e2eStatus || (leaked.length > 0 ? 1 : 0));
