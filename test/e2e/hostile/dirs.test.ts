// Runtime and log directories another user could tamper with are refused (StrictModes), unless the
// documented option says otherwise; a runtime directory too long for the control socket is refused at
// start, never a restart loop; without /proc/locks the cop refuses to start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EXIT, freePort } from '@tripod/core';
import { BIN, cleanEnv, startInstance, tempDir, type Instance, cleanupAll } from '../../helpers/instance.js';
import { tripod } from '../ctl-run.js';
import { NEEDS_ROOT, NOBODY } from './nobody.js';

const started: Instance[] = [];
after(() => cleanupAll(started));

function runCop(args: string[]) {
  return spawnSync(process.execPath, [BIN.cop, ...args], { env: cleanEnv(), encoding: 'utf8', timeout: 20_000 });
}

test('a world- or group-writable runtime or log directory is refused naming it, its owner and mode; doctor says the same; --allow-insecure-dirs accepts it', async () => {
  const dir = tempDir();
  chmodSync(dir, 0o777);
  const r = runCop(['--runtime-dir', dir, '--listen', '127.0.0.1:1']);
  assert.equal(r.status, EXIT.RUNTIME_DIR, r.stderr);
  assert.match(r.stderr, new RegExp(`ERR_RUNTIME_DIR_INSECURE: runtime directory ${dir} is not safe: it is writable by every user and has no sticky bit \\(owner uid \\d+, group gid \\d+, mode 0777\\)`));
  const doctor = await tripod(['doctor', '--runtime-dir', dir]);
  assert.match(doctor.stdout, /FAIL {2}runtime directory: .*writable by every user.*tripod start refuses it/);

  chmodSync(dir, 0o700);
  const logs = join(dir, 'logs');
  mkdirSync(logs, { mode: 0o770 });
  chmodSync(logs, 0o770);
  const l = runCop(['--runtime-dir', dir, '--listen', '127.0.0.1:1']);
  assert.equal(l.status, EXIT.RUNTIME_DIR, l.stderr);
  assert.match(l.stderr, /ERR_RUNTIME_DIR_INSECURE: log directory .*logs is not safe: it is writable by its group/);

  chmodSync(dir, 0o777);
  const inst = await startInstance({ dir, args: ['--allow-insecure-dirs'] });
  started.push(inst);
  assert.ok(inst.holder('server') !== null, 'the opt-out starts the instance');
});

test('a runtime directory owned by another user is refused, even for root', { skip: NEEDS_ROOT }, () => {
  const dir = tempDir();
  chownSync(dir, NOBODY, NOBODY);
  const r = runCop(['--runtime-dir', dir, '--listen', '127.0.0.1:1']);
  assert.equal(r.status, EXIT.RUNTIME_DIR, r.stderr);
  assert.match(r.stderr, /ERR_RUNTIME_DIR_INSECURE: runtime directory .* it belongs to uid 65534, not to uid 0 \(owner uid 65534/);
});

test('a runtime directory too long for the control socket is refused at start with what to do, exit 4', async () => {
  const dir = join(tempDir(), 'd'.repeat(100));
  mkdirSync(dir, { mode: 0o700 });
  const port = await freePort();
  const r = runCop(['--runtime-dir', dir, '--listen', `127.0.0.1:${port}`]);
  assert.equal(r.status, EXIT.RUNTIME_DIR, r.stderr);
  assert.match(r.stderr, /ERR_SOCKET_PATH_TOO_LONG: the control socket .*manager\.sock would be \d+ bytes long, more than the 107 .*use a shorter --runtime-dir/);
  const start = await tripod(['start', '--daemon', '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`]);
  assert.equal(start.code, EXIT.RUNTIME_DIR, 'ctl refuses it too, before any cop runs');
});

test('without /proc/locks the cop refuses to start with a clear error (no manager restarted forever)', { skip: NEEDS_ROOT }, (t) => {
  const dir = tempDir();
  // A mount namespace where /proc is an empty tmpfs: no /proc/locks, as on another OS or in a sandbox.
  const r = spawnSync('unshare', ['--mount', '--fork', 'sh', '-c', 'mount -t tmpfs none /proc && exec "$0" "$@"', process.execPath, BIN.cop, '--runtime-dir', dir, '--listen', '127.0.0.1:1'], {
    env: cleanEnv(), encoding: 'utf8', timeout: 20_000,
  });
  if (r.status !== EXIT.RUNTIME_DIR && /unshare|mount/.test(r.stderr) && !/tripod-cop/.test(r.stderr)) return t.skip(`no mount namespace here: ${r.stderr.trim()}`);
  assert.equal(r.status, EXIT.RUNTIME_DIR, r.stderr);
  assert.match(r.stderr, /ERR_PROC_LOCKS_MISSING: \/proc\/locks is not readable: .*would restart the manager forever/);
});
