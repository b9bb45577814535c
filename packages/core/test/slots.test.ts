import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listSlotLocks } from '../src/pool/slot-locks.js';
import { resolvePoolSize, serverLockName, slotOfLockName } from '../src/pool/slots.js';

test('slot 0 keeps server.lock; slot k locks server.<k>.lock; the names read back', () => {
  assert.equal(serverLockName(0), 'server.lock');
  assert.equal(serverLockName(3), 'server.3.lock');
  for (const slot of [0, 1, 7, 255]) assert.equal(slotOfLockName(serverLockName(slot)), slot);
  for (const name of ['server.0.lock', 'server.01.lock', 'server.x.lock', 'manager.lock', 'server.lock.new']) assert.equal(slotOfLockName(name), null, name);
});

test('listSlotLocks finds the slot lock files of a runtime directory, by slot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slots-'));
  try {
    for (const name of ['server.2.lock', 'server.lock', 'cop.lock', 'server.10.lock']) writeFileSync(join(dir, name), '');
    assert.deepEqual(listSlotLocks(dir).map((l) => l.slot), [0, 2, 10]);
    assert.deepEqual(listSlotLocks(join(dir, 'missing')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('auto is one server per available core', () => {
  assert.equal(resolvePoolSize('auto', () => 6), 6);
  assert.equal(resolvePoolSize('auto', () => 0), 1);
  assert.equal(resolvePoolSize(3), 3);
});
