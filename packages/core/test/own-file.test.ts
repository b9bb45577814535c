import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, constants, linkSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isTripodError } from '../src/errors.js';
import { openOwnFile, whyNotOurs } from '../src/fs/own-file.js';

let dir: string;
const isRoot = process.geteuid?.() === 0;
const FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-own-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a new file is created owner-only', () => {
  const path = join(dir, 'new.log');
  closeSync(openOwnFile(path, FLAGS));
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('an existing file of ours loses its group and other bits', () => {
  const path = join(dir, 'old.log');
  writeFileSync(path, 'x', { mode: 0o644 });
  chmodSync(path, 0o666);
  closeSync(openOwnFile(path, FLAGS));
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('a symbolic link is not followed: ELOOP, and its target is untouched', () => {
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious');
  const link = join(dir, 'link.log');
  symlinkSync(victim, link);
  assert.throws(() => openOwnFile(link, FLAGS), (err: NodeJS.ErrnoException) => err.code === 'ELOOP');
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
});

test('a hard link to another file is refused (two links)', () => {
  const victim = join(dir, 'victim2');
  writeFileSync(victim, 'precious');
  const link = join(dir, 'hard.log');
  linkSync(victim, link);
  assert.throws(() => openOwnFile(link, FLAGS), (err: unknown) => isTripodError(err, 'ERR_FILE_NOT_OURS') && /2 hard links/.test(err.message));
});

test('a FIFO is refused without blocking the open', () => {
  const fifo = join(dir, 'fifo.log');
  execFileSync('mkfifo', [fifo]);
  assert.throws(() => openOwnFile(fifo, FLAGS), (err: unknown) => (isTripodError(err, 'ERR_FILE_NOT_OURS') && /not a regular file/.test(err.message)) || (err as NodeJS.ErrnoException).code === 'ENXIO');
});

test('a file of another user is refused', { skip: isRoot ? false : 'needs root to chown a file to another user' }, () => {
  const path = join(dir, 'theirs.log');
  writeFileSync(path, '');
  chownSync(path, 65534, 65534);
  assert.throws(() => openOwnFile(path, FLAGS), (err: unknown) => isTripodError(err, 'ERR_FILE_NOT_OURS') && /uid 65534/.test(err.message));
});

test('whyNotOurs names each reason', () => {
  const file = { isFile: () => true, uid: 1000, nlink: 1 };
  assert.equal(whyNotOurs(file, 1000), null);
  assert.match(whyNotOurs({ ...file, isFile: () => false }, 1000)!, /regular/);
  assert.match(whyNotOurs({ ...file, uid: 0 }, 1000)!, /uid 0/);
  assert.match(whyNotOurs({ ...file, nlink: 3 }, 1000)!, /3 hard links/);
});
