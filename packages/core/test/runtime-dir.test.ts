import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isTripodError, type ErrorCode } from '../src/errors.js';
import { MAX_SOCKET_PATH_BYTES, checkRuntimeDir, checkSocketPath, whyInsecure } from '../src/lock/runtime-dir.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-rundir-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function assertThrowsCode(fn: () => void, code: ErrorCode, path: string): void {
  assert.throws(fn, (err: unknown) => isTripodError(err, code) && err.details.dir === path && err.message.includes(path));
}

test('an existing writable directory passes', () => {
  assert.doesNotThrow(() => checkRuntimeDir(dir));
});

test('a missing directory is created owner-only, with its missing parents', () => {
  const nested = join(dir, 'made', 'here');
  checkRuntimeDir(nested);
  assert.ok(statSync(nested).isDirectory());
  assert.equal(statSync(nested).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'made')).mode & 0o777, 0o700);
});

test('an existing directory keeps its mode', () => {
  const kept = join(dir, 'kept');
  mkdirSync(kept, { mode: 0o755 });
  chmodSync(kept, 0o755);
  checkRuntimeDir(kept);
  assert.equal(statSync(kept).mode & 0o777, 0o755);
});

test('a file where the directory should be is ERR_RUNTIME_DIR_MISSING', () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  assertThrowsCode(() => checkRuntimeDir(file), 'ERR_RUNTIME_DIR_MISSING', file);
  assert.throws(() => checkRuntimeDir(file), /not a directory/);
});

test('a directory that cannot be created is ERR_RUNTIME_DIR_NOT_WRITABLE', () => {
  const file = join(dir, 'blocker');
  writeFileSync(file, '');
  const below = join(file, 'run');
  assertThrowsCode(() => checkRuntimeDir(below), 'ERR_RUNTIME_DIR_NOT_WRITABLE', below);
});

test('a read-only directory is ERR_RUNTIME_DIR_NOT_WRITABLE', (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: access(2) ignores the mode bits, so a 0500 directory is writable');
    return;
  }
  const readOnly = join(dir, 'read-only');
  mkdirSync(readOnly, { mode: 0o700 });
  chmodSync(readOnly, 0o500);
  try {
    assertThrowsCode(() => checkRuntimeDir(readOnly), 'ERR_RUNTIME_DIR_NOT_WRITABLE', readOnly);
  } finally {
    chmodSync(readOnly, 0o700);
  }
});

test('StrictModes: a directory writable by group or others without the sticky bit is refused, naming owner and mode', () => {
  const open = join(dir, 'open');
  mkdirSync(open);
  for (const mode of [0o777, 0o775, 0o757]) {
    chmodSync(open, mode);
    assert.throws(() => checkRuntimeDir(open), (err: unknown) =>
      isTripodError(err, 'ERR_RUNTIME_DIR_INSECURE') && err.message.includes(open) && err.message.includes(`mode ${mode.toString(8).padStart(4, '0')}`) && /owner uid \d+/.test(err.message));
    assert.doesNotThrow(() => checkRuntimeDir(open, { allowInsecure: true }), 'the documented opt-out accepts it');
  }
  chmodSync(open, 0o1777);
  assert.doesNotThrow(() => checkRuntimeDir(open), 'the sticky bit makes a shared directory acceptable');
  chmodSync(open, 0o700);
});

test('StrictModes: a directory owned by another user is refused', () => {
  const theirs = join(dir, 'theirs');
  mkdirSync(theirs, { mode: 0o700 });
  assert.throws(() => checkRuntimeDir(theirs, { owner: 4242 }), (err: unknown) => isTripodError(err, 'ERR_RUNTIME_DIR_INSECURE') && /belongs to uid \d+, not to uid 4242/.test(err.message));
  assert.equal(whyInsecure({ uid: 1, mode: 0o40700 }, 1), null);
  assert.match(whyInsecure({ uid: 1, mode: 0o40770 }, 1)!, /group/);
});

test('a runtime directory whose socket path would not fit a unix address is refused up front', () => {
  const long = join(dir, 'x'.repeat(120));
  assert.throws(() => checkRuntimeDir(long), (err: unknown) =>
    isTripodError(err, 'ERR_SOCKET_PATH_TOO_LONG') && /manager\.sock would be \d+ bytes/.test(err.message) && /shorter --runtime-dir/.test(err.message));
  assert.equal(checkSocketPath.length, 1);
  assert.doesNotThrow(() => checkSocketPath('/' + 'y'.repeat(MAX_SOCKET_PATH_BYTES - '/manager.sock'.length - 1)));
});
