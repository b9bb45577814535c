import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faultCombos, FAULT_KINDS, FAULT_TIERS } from '../src/faults/fault.js';
import { planSchedule, type ScheduleOptions } from '../src/schedule/schedule.js';

const base: ScheduleOptions = {
  seed: 42,
  durationMs: 180_000,
  ratePerMinute: 30,
  combos: faultCombos(FAULT_TIERS, FAULT_KINDS, false),
  warmupMs: 2000,
  cooldownMs: 3000,
  holdMinMs: 500,
  holdMaxMs: 4000,
};

test('the same seed replays the same schedule; another seed gives another', () => {
  assert.deepEqual(planSchedule(base), planSchedule({ ...base }));
  assert.notDeepEqual(planSchedule(base), planSchedule({ ...base, seed: 43 }));
});

test('faults come at about the asked rate, inside [warmup, duration - cooldown], in order', () => {
  const faults = planSchedule(base);
  // 180 s at 30/min: about 90 (the gaps average the mean gap).
  assert.ok(faults.length >= 80 && faults.length <= 100, String(faults.length));
  let last = base.warmupMs;
  for (const [i, f] of faults.entries()) {
    assert.equal(f.index, i + 1);
    const gap = f.atMs - last;
    assert.ok(gap >= 1000 - 1 && gap <= 3000 + 1, `gap ${gap} outside 0.5..1.5 × 2000 ms`);
    assert.ok(f.atMs <= base.durationMs - base.cooldownMs);
    last = f.atMs;
  }
});

test('every (tier, kind) drawn is allowed; hold times only for SIGSTOP and overload, within bounds', () => {
  const faults = planSchedule({ ...base, durationMs: 600_000 });
  const allowed = new Set(base.combos.map((c) => `${c.tier} ${c.kind}`));
  const drawn = new Set(faults.map((f) => `${f.tier} ${f.kind}`));
  for (const d of drawn) assert.ok(allowed.has(d), d);
  assert.equal(drawn.size, allowed.size, 'a long schedule draws every allowed pair');
  for (const f of faults) {
    if (f.kind === 'SIGSTOP' || f.kind === 'overload') assert.ok(f.holdMs >= 500 && f.holdMs <= 4000, String(f.holdMs));
    else assert.equal(f.holdMs, 0);
  }
});

test('restricting the pairs keeps the timing of the same seed and only draws those pairs', () => {
  const only = planSchedule({ ...base, combos: faultCombos(['manager+server'], ['SIGKILL'], false) });
  assert.deepEqual(only.map((f) => f.atMs), planSchedule(base).map((f) => f.atMs));
  assert.ok(only.every((f) => f.tier === 'manager+server' && f.kind === 'SIGKILL'));
});

test('rate 0 or no pair plans nothing', () => {
  assert.deepEqual(planSchedule({ ...base, ratePerMinute: 0 }), []);
  assert.deepEqual(planSchedule({ ...base, combos: [] }), []);
});
