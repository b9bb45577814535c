import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isTripodError, type ErrorCode } from '../src/errors.js';
import { checkRuntimeDir } from '../src/lock/runtime-dir.js';

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
  const open = join(dir, 'open');
  mkdirSync(open, { mode: 0o755 });
  chmodSync(open, 0o755);
  checkRuntimeDir(open);
  assert.equal(statSync(open).mode & 0o777, 0o755);
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
