// `tripod reload`: SIGHUP to the cop, which reloads its configuration file; ctl waits for the cop's
// report in cop-status.json and prints what it applied and what needs a restart.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT, cleanEnv, startInstance, tempDir, type Instance, cleanupAll } from '../helpers/instance.js';
import { STEADY, killIfAlive, tripod, waitRunning } from './ctl-run.js';
import { waitFor } from '@tripod/core';

const started: Instance[] = [];
const fakes: ChildProcess[] = [];
const dirs: string[] = [];
after(async () => {
  for (const fake of fakes) killIfAlive(fake.pid);
  await cleanupAll(started);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// A stand-in cop: holds cop.lock, has written cop-status.json, takes SIGHUP and never reports a reload.
const SILENT_COP = `
import { acquireLock, initialCopStatus, writeJsonAtomic } from '@tripod/core';
const dir = process.argv[1];
await acquireLock(dir + '/cop.lock');
writeJsonAtomic(dir + '/cop-status.json', initialCopStatus(process.pid, Date.now()));
process.on('SIGHUP', () => {});
setInterval(() => {}, 1 << 30);
process.stdout.write('ready\\n');
`;

test('reload reports the applied and the restart-only changes of the config file', async () => {
  const dir = tempDir();
  const file = join(dir, 'tripod.json');
  writeFileSync(file, JSON.stringify({ launchTimeoutMs: 10000, backlog: 511 }));
  const inst = await startInstance({ dir, args: ['--config', file, ...STEADY] });
  started.push(inst);
  await waitRunning(dir);

  const unchanged = await tripod(['reload', '--runtime-dir', dir]);
  assert.equal(unchanged.code, 0, unchanged.stderr);
  assert.match(unchanged.stdout, /^applied: nothing changed$/m);

  writeFileSync(file, JSON.stringify({ launchTimeoutMs: 9000, backlog: 128 }));
  const changed = await tripod(['reload', '--json', '--runtime-dir', dir]);
  assert.equal(changed.code, 0, changed.stderr);
  const report = JSON.parse(changed.stdout) as { applied: string[]; needsRestart: string[]; error: string | null };
  assert.deepEqual(report.applied, ['launchTimeoutMs']);
  assert.equal(report.needsRestart.length, 1);
  assert.match(report.needsRestart[0]!, /^backlog /);
  assert.equal(report.error, null);

  writeFileSync(file, '{ not json');
  const broken = await tripod(['reload', '--runtime-dir', dir]);
  assert.equal(broken.code, 1, broken.stdout);
  assert.match(broken.stdout, /^error: .*not valid JSON/m);
});

test('reload of an instance that is not running exits 7', async () => {
  const dir = tempDir();
  const inst = await startInstance({ dir });
  started.push(inst);
  assert.equal(await inst.stop(), 0);
  const result = await tripod(['reload', '--runtime-dir', dir]);
  assert.equal(result.code, 7, result.stderr);
});

test('a cop that never reports the reload: ctl says so after --timeout and exits 1', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const fake = spawn(process.execPath, ['--input-type=module', '-e', SILENT_COP, dir], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  fakes.push(fake);
  await waitFor('the stand-in cop ready', () => new Promise<boolean>((resolve) => fake.stdout!.once('data', () => resolve(true))), 10_000);
  const result = await tripod(['reload', '--timeout', '1', '--runtime-dir', dir]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`cop did not report the reload within 1 s \\(SIGHUP sent to cop PID ${fake.pid};`));
  assert.equal(fake.exitCode, null, 'SIGHUP went to the handler, the stand-in still runs');
});
