// Bad input gets a clear error and loses nothing: each case names what is wrong.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EXIT, freePort, waitFor } from '@tripod/core';
import { statusFile } from '../helpers/status.js';
import { BIN, FIXTURES, cleanEnv, startInstance, tempDir, type Instance, cleanupAll } from '../helpers/instance.js';
import { readableCop } from '../helpers/readable-build.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

function runCop(args: string[], options: { uid?: number } = {}) {
  return spawnSync(process.execPath, [BIN.cop, ...args], { env: cleanEnv(), encoding: 'utf8', timeout: 20_000, ...options });
}

test('a runtime directory that is a file is named, exit 4', () => {
  const dir = join(tempDir(), 'a-file');
  writeFileSync(dir, '');
  const r = runCop(['--runtime-dir', dir, '--listen', '127.0.0.1:1']);
  assert.equal(r.status, EXIT.RUNTIME_DIR, r.stderr);
  assert.match(r.stderr, /ERR_RUNTIME_DIR_MISSING: runtime directory .*a-file is not a directory/);
});

test('a runtime directory the user cannot write is named, exit 4', (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to run the cop as another user');
  const dir = tempDir();
  chmodSync(dir, 0o755);
  // The checkout may be unreadable for uid 65534 (a 0700 home): run a world-readable copy of the build.
  const r = spawnSync(process.execPath, [readableCop(), '--runtime-dir', dir, '--listen', '127.0.0.1:1'], { env: cleanEnv(), encoding: 'utf8', timeout: 20_000, uid: 65534, cwd: '/' });
  assert.equal(r.status, EXIT.RUNTIME_DIR, r.stderr);
  assert.match(r.stderr, /ERR_RUNTIME_DIR_NOT_WRITABLE: runtime directory .* is not writable by uid 65534/);
});

test('a symlinked lock file is refused, not followed, exit 4', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'elsewhere'), 'precious\n');
  symlinkSync(join(dir, 'elsewhere'), join(dir, 'cop.lock'));
  const r = runCop(['--runtime-dir', dir, '--listen', '127.0.0.1:1']);
  assert.equal(r.status, EXIT.RUNTIME_DIR, r.stderr);
  assert.match(r.stderr, /ERR_LOCK_SYMLINK: lock file .*cop\.lock is a symbolic link/);
  assert.equal(readFileSync(join(dir, 'elsewhere'), 'utf8'), 'precious\n', 'the link target is untouched');
});

test('an invalid configuration value names the field, the value and the rule, exit 2', () => {
  const r = runCop(['--runtime-dir', tempDir(), '--check-interval-ms', '-5']);
  assert.equal(r.status, EXIT.CONFIG, r.stderr);
  assert.match(r.stderr, /ERR_CONFIG_INVALID: invalid checkIntervalMs: -5 \(must be a whole number from 50 to 600000\)/);
  const bad = runCop(['--runtime-dir', tempDir(), '--listen', 'localhost:99999']);
  assert.equal(bad.status, EXIT.CONFIG);
  assert.match(bad.stderr, /invalid listen: "localhost:99999" \(port must be from 1 to 65535\)/);
});

test('a port already in use names the process that holds it, exit 5', async () => {
  const port = await freePort();
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  try {
    const r = runCop(['--runtime-dir', tempDir(), '--listen', `127.0.0.1:${port}`]);
    assert.equal(r.status, EXIT.BIND, r.stderr);
    assert.match(r.stderr, new RegExp(`ERR_PORT_IN_USE: 127\\.0\\.0\\.1:${port} is already in use by PID ${process.pid} \\(node\\)`));
  } finally {
    holder.close();
  }
});

test('corrupt lock files (garbage, empty, negative, PID 1) do not stop a start and are rewritten', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'cop.lock'), 'garbage!\n');
  writeFileSync(join(dir, 'manager.lock'), '');
  writeFileSync(join(dir, 'server.lock'), '-42\n');
  mkdirSync(join(dir, 'logs'));
  const inst = await startInstance({ dir });
  started.push(inst);
  // startInstance waits until every lock file names its holder: the garbage must be gone by then.
  for (const tier of ['cop', 'manager', 'server'] as const) {
    assert.equal(readFileSync(inst.paths.lockFile(tier), 'utf8'), `${inst.holder(tier)}\n`, `${tier}.lock rewritten with its holder's PID`);
  }
  await inst.stop();
  writeFileSync(join(dir, 'server.lock'), '1\n');
  const again = await startInstance({ dir, port: inst.port });
  started.push(again);
  assert.equal(readFileSync(again.paths.lockFile('server'), 'utf8'), `${again.holder('server')}\n`, 'server.lock rewritten with its holder\'s PID');
});

const status = statusFile;

test('an application that throws at load crash-loops with growing backoff, visible in status', async () => {
  const inst = await startInstance({ args: ['--app', join(FIXTURES, 'throws-at-load.mjs')], waitReady: false });
  started.push(inst);
  const s = await waitFor('three crashes in a row with a backoff', () => {
    const st = status(inst);
    return st && st.consecutiveCrashes >= 3 && st.backoffUntil !== null ? st : null;
  }, 15_000);
  assert.ok((s.exitsByCause[`code:${EXIT.APP_LOAD}`] ?? 0) >= 3, JSON.stringify(s.exitsByCause));
  assert.match(inst.output(), /ERR_APP_LOAD.*cannot load/);
  assert.ok(inst.holder('manager') !== null, 'the manager stays up');
});

test('an application exiting 125 stays down, and status says why', async () => {
  const inst = await startInstance({ args: ['--app', join(FIXTURES, 'exit-with.mjs')], env: { FIXTURE_EXIT_CODE: String(EXIT.NO_RESTART) }, waitReady: false });
  started.push(inst);
  const s = await waitFor('stay-down', () => status(inst)?.stayDown === 'no-restart-code' && status(inst), 10_000);
  assert.equal(s.lastExit?.code, EXIT.NO_RESTART);
  assert.equal(s.exitsByCause[`code:${EXIT.NO_RESTART}`], 1, 'started once, never again');
  assert.equal(inst.holder('server'), null);
});

test('an application that never becomes ready is killed at the launch deadline', async () => {
  const inst = await startInstance({ args: ['--app', join(FIXTURES, 'never-ready.mjs'), '--launch-timeout-ms', '800'], waitReady: false });
  started.push(inst);
  await waitFor('a launch-timeout kill', () => status(inst)?.lastExit?.signal === 'SIGKILL', 10_000);
  assert.match(inst.output(), /server\.launch-timeout/);
});
