import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInternalArgs } from '../src/config/internal-args.js';

test('the manager form is read without yargs', () => {
  assert.deepEqual(parseInternalArgs(['--config-json', '{"a":1}', '--inherited-fds', '2', '--handover']), { configJson: '{"a":1}', inheritedFds: 2, handover: true, standby: false, slot: 0 });
  assert.deepEqual(parseInternalArgs(['--config-json', '{}']), { configJson: '{}', inheritedFds: 0, handover: false, standby: false, slot: 0 });
});

test('anything else goes to the full parser', () => {
  assert.equal(parseInternalArgs([]), null);
  assert.equal(parseInternalArgs(['--help']), null);
  assert.equal(parseInternalArgs(['--config-json', '{}', '--listen', '127.0.0.1:1']), null);
  assert.equal(parseInternalArgs(['--config-json', '{}', '--inherited-fds', 'x']), null);
  assert.equal(parseInternalArgs(['--config-json']), null);
});

test('--standby marks a warm standby server', () => {
  assert.equal(parseInternalArgs(['--config-json', '{}', '--standby'])?.standby, true);
});

test('--slot names the pool slot a server serves', () => {
  assert.equal(parseInternalArgs(['--config-json', '{}', '--slot', '3'])?.slot, 3);
  assert.equal(parseInternalArgs(['--config-json', '{}', '--slot', 'x']), null);
});
