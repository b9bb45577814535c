// A lock file deleted or replaced while held: its holder is still seen, takes the lock again on a
// fresh file, and nobody else can take it meanwhile.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fstatSync, lstatSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { acquireLock } from '../src/lock/lockfile.js';
import { findLockHolder } from '../src/lock/probe.js';
import { rejection } from './reject.js';

const LOCKFILE = new URL('../src/lock/lockfile.js', import.meta.url).href;
const FS_EXT = createRequire(import.meta.url).resolve('fs-ext');
// Holds argv[1] with tripod's acquireLock and its watcher; prints each event.
const WATCHING_HOLDER = `
const { acquireLock } = await import(${JSON.stringify(LOCKFILE)});
const lock = await acquireLock(process.argv[1]);
lock.watch((event, fields) => console.log(event + ' ' + JSON.stringify(fields)), 50);
console.log('locked');
setInterval(() => {}, 60000);
`;
// Holds argv[2] with a bare fcntl lock and never looks at the file again.
const BLIND_HOLDER = `
const fs = require('fs');
const fsExt = require(process.argv[1]);
const fd = fs.openSync(process.argv[2], fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
fsExt.fcntl(fd, 'setlk', fsExt.constants.F_WRLCK, (err) => { if (err) process.exit(1); console.log('locked'); setInterval(() => {}, 60000); });
`;

let dir: string;
const children: ChildProcess[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-lockwatch-'));
});
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, check: () => T | null | false | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function start(args: string[], module: boolean): { child: ChildProcess; output: () => string; locked: Promise<void> } {
  const child = spawn(process.execPath, module ? ['--input-type=module', '-e', WATCHING_HOLDER, ...args] : ['-e', BLIND_HOLDER, FS_EXT, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, locked: until('locked', () => out.includes('locked')).then(() => undefined) };
}

test('a lock file is created owner-only', async () => {
  const path = join(dir, 'mode.lock');
  const lock = await acquireLock(path);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  lock.release();
});

test('deleted under its holder: the holder is still seen, then takes the lock again on a fresh file', async () => {
  const path = join(dir, 'deleted.lock');
  const holder = start([path], true);
  await holder.locked;
  rmSync(path);
  // Every look at the lock during the gap names the holder; never "free".
  while (!holder.output().includes('lock.retaken')) {
    assert.equal(findLockHolder(path), holder.child.pid);
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(findLockHolder(path), holder.child.pid);
  assert.equal(readFileSync(path, 'utf8'), `${holder.child.pid}\n`);
  assert.match(holder.output(), /lock\.retaken .*"why":"deleted"/);
});

test('replaced under its holder (a new file renamed over it): taken again on the new file', async () => {
  const path = join(dir, 'replaced.lock');
  const holder = start([path], true);
  await holder.locked;
  writeFileSync(join(dir, 'other'), '999\n', { mode: 0o600 });
  renameSync(join(dir, 'other'), path);
  await until('retaken', () => holder.output().includes('"why":"replaced"'));
  assert.equal(findLockHolder(path), holder.child.pid);
  assert.equal(readFileSync(path, 'utf8'), `${holder.child.pid}\n`);
});

test('nobody can take a lock whose file was deleted while its holder still runs', async () => {
  const path = join(dir, 'blind.lock');
  const holder = start([path], false);
  await holder.locked;
  rmSync(path);
  const err = await rejection(acquireLock(path));
  assert.equal(err.code, 'ERR_LOCK_HELD');
  assert.equal(err.details.holder, holder.child.pid);
  assert.match(err.message, new RegExp(`locked by PID ${holder.child.pid} \\(.*node`), 'names the holder with its command');
  assert.equal(lstatSync(path).isFile(), true);
});

test('replaced by a symbolic link: the holder keeps its lock, refuses to follow, and retakes once the link is gone', async () => {
  const path = join(dir, 'link.lock');
  const lock = await acquireLock(path);
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious');
  rmSync(path);
  symlinkSync(victim, path);
  const failed = await lock.verify();
  assert.equal(failed.state, 'failed');
  assert.equal(failed.state === 'failed' && failed.error.code, 'ERR_LOCK_SYMLINK');
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  rmSync(path);
  const again = await lock.verify();
  assert.deepEqual(again, { state: 'retaken', why: 'deleted' });
  assert.equal(lstatSync(path).ino, fstatSync(lock.fd).ino);
  assert.deepEqual(await lock.verify(), { state: 'ok' });
  lock.release();
});
