import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPacer } from '../src/load/client.js';

test('the pacer spreads starts at the asked rate and gives no burst after a stall', async () => {
  let now = 0;
  const waits: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  // Record the waits instead of sleeping.
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    waits.push(ms);
    return realSetTimeout(fn, 0);
  }) as typeof setTimeout;
  try {
    const pace = createPacer(100, () => now);
    for (let i = 0; i < 5; i++) await pace();
    assert.deepEqual(waits, [10, 20, 30, 40]);
    waits.length = 0;
    now = 1000; // a long stall: slots in the past are not made up for
    await pace();
    await pace();
    assert.deepEqual(waits, [10]);
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
});

test('rate 0 never waits', async () => {
  const pace = createPacer(0);
  const started = Date.now();
  for (let i = 0; i < 1000; i++) await pace();
  assert.ok(Date.now() - started < 500);
});
