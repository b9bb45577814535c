import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consecutiveCrashes, decideRestart, trimDeaths, type Death, type RestartPolicy } from '../src/policy/restart-policy.js';

const POLICY: RestartPolicy = { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0, healthyAfterMs: 10_000, noRestartCode: 125 };
const NO_RANDOM = () => 0.5; // 2 * 0.5 - 1 = 0: no jitter even when the policy has some

function crash(uptimeMs = 50, code: number | null = 1, signal: string | null = null): Death {
  return { at: 0, code, signal, requested: false, uptimeMs };
}
function stopped(uptimeMs = 50): Death {
  return { at: 0, code: 0, signal: null, requested: true, uptimeMs };
}
function crashes(n: number): Death[] {
  return Array.from({ length: n }, () => crash());
}

test('the first crash restarts at once', () => {
  assert.deepEqual(decideRestart([crash()], POLICY, NO_RANDOM), { action: 'restart', delayMs: 0, consecutive: 1 });
});

test('a crash by signal restarts too', () => {
  assert.deepEqual(decideRestart([crash(50, null, 'SIGSEGV')], POLICY, NO_RANDOM), { action: 'restart', delayMs: 0, consecutive: 1 });
});

test('the second crash in a row waits the base delay, then it doubles', () => {
  const delays = [2, 3, 4, 5].map((n) => decideRestart(crashes(n), POLICY, NO_RANDOM));
  assert.deepEqual(
    delays.map((d) => (d.action === 'restart' ? [d.consecutive, d.delayMs] : d)),
    [
      [2, 100],
      [3, 200],
      [4, 400],
      [5, 800],
    ],
  );
});

test('the delay is capped at maxDelayMs', () => {
  for (const n of [6, 10, 40]) {
    const d = decideRestart(crashes(n), POLICY, NO_RANDOM);
    assert.equal(d.action === 'restart' && d.delayMs, 1000, `after ${n} crashes`);
  }
});

test('jitter spreads the delay by ± jitter × delay', () => {
  const jittery = { ...POLICY, jitter: 0.2 };
  const low = decideRestart(crashes(3), jittery, () => 0);
  const high = decideRestart(crashes(3), jittery, () => 0.9999999);
  assert.equal(low.action === 'restart' && low.delayMs, 160); // 200 - 20 %
  assert.equal(high.action === 'restart' && high.delayMs, 240); // 200 + 20 %
});

test('jitter never pushes past the cap', () => {
  const jittery = { ...POLICY, jitter: 0.5 };
  const high = decideRestart(crashes(20), jittery, () => 0.9999999);
  const low = decideRestart(crashes(20), jittery, () => 0);
  assert.equal(high.action === 'restart' && high.delayMs, 1000);
  assert.equal(low.action === 'restart' && low.delayMs, 500);
});

test('a healthy run resets the backoff', () => {
  const history = [...crashes(5), crash(POLICY.healthyAfterMs)];
  assert.deepEqual(decideRestart(history, POLICY, NO_RANDOM), { action: 'restart', delayMs: 0, consecutive: 1 });
  const afterHealthy = [...history, crash()];
  assert.deepEqual(decideRestart(afterHealthy, POLICY, NO_RANDOM), { action: 'restart', delayMs: 100, consecutive: 2 });
});

test('a run just short of healthy does not reset', () => {
  const history = [...crashes(3), crash(POLICY.healthyAfterMs - 1)];
  assert.equal(consecutiveCrashes(history, POLICY), 4);
});

test('a requested stop stays down, even if it exited by a signal', () => {
  assert.deepEqual(decideRestart([stopped()], POLICY, NO_RANDOM), { action: 'stay-down', reason: 'requested' });
  const killed: Death = { at: 0, code: null, signal: 'SIGKILL', requested: true, uptimeMs: 5 };
  assert.deepEqual(decideRestart([...crashes(3), killed], POLICY, NO_RANDOM), { action: 'stay-down', reason: 'requested' });
});

test('the no-restart exit code stays down', () => {
  assert.deepEqual(decideRestart([crash(50, 125)], POLICY, NO_RANDOM), { action: 'stay-down', reason: 'no-restart-code' });
  const other = { ...POLICY, noRestartCode: 33 };
  assert.deepEqual(decideRestart([crash(50, 33)], other, NO_RANDOM), { action: 'stay-down', reason: 'no-restart-code' });
  assert.equal(decideRestart([crash(50, 125)], other, NO_RANDOM).action, 'restart');
});

test('no deaths at all: nothing to restart', () => {
  assert.equal(decideRestart([], POLICY, NO_RANDOM).action, 'stay-down');
});

test('consecutiveCrashes counts back to a requested stop or a healthy run', () => {
  assert.equal(consecutiveCrashes([], POLICY), 0);
  assert.equal(consecutiveCrashes(crashes(4), POLICY), 4);
  assert.equal(consecutiveCrashes([...crashes(4), stopped(), ...crashes(2)], POLICY), 2);
  assert.equal(consecutiveCrashes([...crashes(4), crash(60_000), ...crashes(3)], POLICY), 4);
  assert.equal(consecutiveCrashes([...crashes(2), stopped()], POLICY), 0);
});

test('trimDeaths keeps the newest entries', () => {
  const history = Array.from({ length: 40 }, (_, i) => ({ ...crash(), at: i }));
  assert.deepEqual(trimDeaths(history).map((d) => d.at), history.slice(8).map((d) => d.at));
  assert.deepEqual(trimDeaths(history, 3).map((d) => d.at), [37, 38, 39]);
});

test('a death after a proven-healthy run counts as the first crash again', () => {
  const policy = POLICY;
  const crash = (healthy: boolean) => ({ at: 0, code: 1, signal: null, requested: false, uptimeMs: 500, healthy });
  assert.equal(consecutiveCrashes([crash(false), crash(false), crash(false)], policy), 3);
  assert.equal(consecutiveCrashes([crash(false), crash(false), crash(true)], policy), 1);
  assert.deepEqual(decideRestart([crash(false), crash(false), crash(true)], policy, () => 0.5), { action: 'restart', delayMs: 0, consecutive: 1 });
});
