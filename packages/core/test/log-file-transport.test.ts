// Any failure of the log file falls back to stderr, says so once, and the next reopen tries again.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SafeFileTransport } from '../src/log/file-transport.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-logt-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const MESSAGE = Symbol.for('message');

function harness(file: string, consoleToo = false) {
  const fallback: string[] = [];
  const t = new SafeFileTransport({ file, consoleToo, fallback: (line) => fallback.push(line) });
  const log = (msg: string) => t.log({ [MESSAGE]: JSON.stringify({ message: msg }) }, () => undefined);
  return { t, log, fallback, notices: () => fallback.filter((l) => l.startsWith('tripod[')) };
}

test('writes JSON lines to an owner-only file in a directory it creates owner-only', () => {
  const logs = join(dir, 'a', 'logs');
  const h = harness(join(logs, 'cop.log'));
  h.log('one');
  assert.equal(readFileSync(join(logs, 'cop.log'), 'utf8'), '{"message":"one"}\n');
  assert.equal(statSync(join(logs, 'cop.log')).mode & 0o777, 0o600);
  assert.equal(statSync(logs).mode & 0o777, 0o700);
  assert.deepEqual(h.fallback, []);
});

test('directory removed: lines go to stderr, said once; a reopen after it is back writes the file again', () => {
  const logs = join(dir, 'b');
  const file = join(logs, 'manager.log');
  const h = harness(file);
  h.log('before');
  rmSync(logs, { recursive: true });
  writeFileSync(logs, 'a file where the directory was');
  h.t.reopen(); // logrotate's SIGHUP while the directory is a file
  h.log('during 1');
  h.log('during 2');
  assert.equal(h.notices().length, 1, h.fallback.join(''));
  assert.match(h.notices()[0]!, /cannot write log file .*manager\.log \((ENOTDIR|EEXIST)\); logging to stderr until the next SIGHUP/);
  assert.ok(h.fallback.includes('{"message":"during 1"}\n') && h.fallback.includes('{"message":"during 2"}\n'));
  rmSync(logs);
  h.t.reopen();
  h.log('after');
  assert.match(h.fallback.at(-1)!, /writing .*manager\.log again/);
  assert.equal(readFileSync(file, 'utf8'), '{"message":"after"}\n');
});

test('a write error (ENOSPC on /dev/full) falls back once, and with a console transport adds only the notice', { skip: statSync('/dev/full', { throwIfNoEntry: false }) ? false : 'no /dev/full' }, () => {
  const logs = join(dir, 'c');
  mkdirSync(logs, { mode: 0o700 });
  const h = harness(join(logs, 'server.log'), true);
  // Swap the open fd for one on /dev/full: every write fails with ENOSPC.
  (h.t as unknown as { fd: number }).fd = openSync('/dev/full', 'w');
  h.log('x');
  h.log('y');
  assert.equal(h.notices().length, 1);
  assert.match(h.notices()[0]!, /\(ENOSPC\)/);
  assert.equal(h.fallback.length, 1, 'the console transport already printed the lines');
});

test('a log file replaced by a symbolic link is not followed', () => {
  const logs = join(dir, 'd');
  mkdirSync(logs, { mode: 0o700 });
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, join(logs, 'cop.log'));
  const h = harness(join(logs, 'cop.log'));
  h.log('z');
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.match(h.notices()[0]!, /\(ELOOP\)/);
});
