import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { acquireLock } from '../src/lock/lockfile.js';
import { findLockHolder, probeLock } from '../src/lock/probe.js';
import { readProcLocksAsync } from '../src/proc/read.js';
import { rejection } from './reject.js';

const FS_EXT = createRequire(import.meta.url).resolve('fs-ext');
// Takes the write lock on argv[2] with fs-ext, writes its PID, says "locked", then waits to be killed.
const HOLDER_SCRIPT = `
const fs = require('fs');
const fsExt = require(process.argv[1]);
const fd = fs.openSync(process.argv[2], fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
fsExt.fcntl(fd, 'setlk', fsExt.constants.F_WRLCK, (err) => {
  if (err) { console.log('failed ' + err.code); process.exit(1); }
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, process.pid + '\\n', 0);
  console.log('locked');
  setInterval(() => {}, 60000);
});
`;

let dir: string;
const spawned: ChildProcess[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-lock-'));
});

after(() => {
  for (const child of spawned) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, check: () => T | null | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await delay(10);
  }
}


/** Starts a child that holds the lock on `path`; resolves once it says so. */
async function startHolder(path: string): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', HOLDER_SCRIPT, FS_EXT, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  spawned.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  await waitFor('the child to take the lock', () => out.includes('locked') || child.exitCode !== null);
  assert.equal(out.trim(), 'locked', `child said ${JSON.stringify(out)}`);
  return child as ChildProcess & { pid: number };
}

test('acquireLock writes "PID\\n" and /proc/locks names this process', async () => {
  const path = join(dir, 'own.lock');
  const lock = await acquireLock(path);
  try {
    // Read through the held fd: opening and closing another fd would drop the lock.
    const buffer = Buffer.alloc(64);
    const n = readSync(lock.fd, buffer, 0, 64, 0);
    assert.equal(buffer.toString('utf8', 0, n), `${process.pid}\n`);
    assert.equal(findLockHolder(path), process.pid);
    // The read acquireLock does off the event loop sees what the synchronous one sees.
    assert.equal(findLockHolder(path, await readProcLocksAsync()), process.pid);
  } finally {
    lock.release();
  }
  assert.equal(findLockHolder(path), null, 'free after release');
  assert.equal(readFileSync(path, 'utf8'), '', 'release leaves no PID behind');
});

test('acquireLock replaces stale content with its own PID', async () => {
  const path = join(dir, 'stale.lock');
  writeFileSync(path, '99999999\nand more junk that is longer than a PID\n');
  const lock = await acquireLock(path, 4242);
  try {
    const buffer = Buffer.alloc(128);
    const n = readSync(lock.fd, buffer, 0, 128, 0);
    assert.equal(buffer.toString('utf8', 0, n), '4242\n');
  } finally {
    lock.release();
  }
});

test('a symlinked lock file is refused and its target left alone', async () => {
  const target = join(dir, 'victim');
  writeFileSync(target, 'precious\n');
  const path = join(dir, 'link.lock');
  symlinkSync(target, path);
  const err = await rejection(acquireLock(path));
  assert.equal(err.code, 'ERR_LOCK_SYMLINK');
  assert.equal(err.details.path, path);
  assert.equal(readFileSync(target, 'utf8'), 'precious\n');
  const probe = await probeLock(path);
  assert.equal(probe.isSymlink, true);
  assert.equal(probe.content, null, 'a symlink is not read');
});

test('a lock file in a missing directory is ERR_RUNTIME_DIR_MISSING', async () => {
  const err = await rejection(acquireLock(join(dir, 'no-such-dir', 'cop.lock')));
  assert.equal(err.code, 'ERR_RUNTIME_DIR_MISSING');
});

test('probeLock on a missing file', async () => {
  const path = join(dir, 'absent.lock');
  assert.deepEqual(await probeLock(path), { path, exists: false, isSymlink: false, holder: null, content: null });
  assert.equal(existsSync(path), false, 'probing creates nothing');
  assert.equal(findLockHolder(path), null);
});

test('a lock held by another process: ERR_LOCK_HELD naming it, probe sees it, free once it is killed', async () => {
  const path = join(dir, 'server.lock');
  const child = await startHolder(path);

  const err = await rejection(acquireLock(path));
  assert.equal(err.code, 'ERR_LOCK_HELD');
  assert.equal(err.details.holder, child.pid);
  assert.match(err.message, new RegExp(`PID ${child.pid}`));

  const probe = await probeLock(path);
  assert.equal(probe.exists, true);
  assert.equal(probe.holder, child.pid);
  assert.deepEqual(probe.content, { valid: true, pid: child.pid });

  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGKILL');
  await exited;
  await waitFor('the lock to be released', () => findLockHolder(path) === null);
  const after = await probeLock(path);
  assert.equal(after.holder, null);
  assert.deepEqual(after.content, { valid: true, pid: child.pid }, 'a killed holder leaves its PID behind');

  const lock = await acquireLock(path);
  try {
    assert.equal(findLockHolder(path), process.pid);
  } finally {
    lock.release();
  }
});
