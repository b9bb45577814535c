import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWaitStatus, findPerl, parseReaperLine } from '../src/run/reaper.js';

test('wait statuses decode to an exit code or a signal name', () => {
  assert.deepEqual(decodeWaitStatus(0), { code: 0, signal: null });
  assert.deepEqual(decodeWaitStatus(3 << 8), { code: 3, signal: null });
  assert.deepEqual(decodeWaitStatus(9), { code: null, signal: 'SIGKILL' });
  assert.deepEqual(decodeWaitStatus(11 | 0x80), { code: null, signal: 'SIGSEGV' }, 'the core-dump bit is ignored');
});

test('shim lines parse; anything else is ignored', () => {
  assert.deepEqual(parseReaperLine('subreaper 1'), { type: 'subreaper', ok: true });
  assert.deepEqual(parseReaperLine('subreaper 0\n'), { type: 'subreaper', ok: false });
  assert.deepEqual(parseReaperLine('spawned 123'), { type: 'spawned', pid: 123 });
  assert.deepEqual(parseReaperLine('exited 123 256'), { type: 'exited', pid: 123, code: 1, signal: null });
  assert.deepEqual(parseReaperLine('reaped 77 6'), { type: 'reaped', pid: 77, code: null, signal: 'SIGABRT' });
  assert.equal(parseReaperLine('exited x 0'), null);
  assert.equal(parseReaperLine('exited 12'), null);
  assert.equal(parseReaperLine('hello'), null);
});

test('perl is looked up on PATH', () => {
  assert.equal(findPerl('/nonexistent-dir'), null);
  assert.equal(findPerl(''), null);
});
