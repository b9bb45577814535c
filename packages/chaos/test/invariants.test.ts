import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAfterStop, checkSample, INITIAL_CHECK_STATE, LOCK_SETTLE_MS, ZOMBIE_LINGER_MS, type CheckState } from '../src/analysis/invariants.js';
import type { Violation } from '../src/analysis/invariant-names.js';
import type { LockObservation, ProcessObservation, Sample } from '../src/analysis/sample.js';

const held = (pid: number): LockObservation => ({ holder: pid, filePid: pid, holderIsTier: true });
const free: LockObservation = { holder: null, filePid: null, holderIsTier: false };

function sample(at: number, over: Partial<Sample> = {}): Sample {
  return { at, phase: 'running', fault: null, locks: { cop: held(10), manager: held(20), server: held(30) }, listening: true, processes: null, decoys: [], ...over };
}

function run(samples: readonly Sample[], state: CheckState = INITIAL_CHECK_STATE): { state: CheckState; violations: Violation[] } {
  const violations: Violation[] = [];
  for (const s of samples) {
    const r = checkSample(state, s);
    state = r.state;
    violations.push(...r.violations);
  }
  return { state, violations };
}

test('a healthy instance breaks nothing', () => {
  assert.deepEqual(run([sample(0), sample(250), sample(500)]).violations, []);
});

test('a lock file naming another PID than the holder breaks one-holder-per-tier once it persists', () => {
  const wrong = { cop: held(10), manager: held(20), server: { holder: 30, filePid: 31, holderIsTier: true } };
  assert.deepEqual(run([sample(0, { locks: wrong }), sample(LOCK_SETTLE_MS - 1, { locks: wrong })]).violations, []);
  const { violations } = run([sample(0, { locks: wrong }), sample(250, { locks: wrong }), sample(LOCK_SETTLE_MS, { locks: wrong }), sample(LOCK_SETTLE_MS + 250, { locks: wrong })]);
  assert.equal(violations.length, 1);
  assert.equal(violations[0]!.invariant, 'one-holder-per-tier');
  assert.match(violations[0]!.message, /server\.lock is held by PID 30 but the lock file says 31/);
  // The holder writing its PID a moment after locking is no breach.
  assert.deepEqual(run([sample(0, { locks: wrong }), sample(250)]).violations, []);
});

test('exec mode: server.lock naming the program its holder (the keeper) keeps is no breach', () => {
  const kept = { cop: held(10), manager: held(20), server: { holder: 30, filePid: 31, holderIsTier: true, fileNamesKept: true } };
  assert.deepEqual(run([sample(0, { locks: kept }), sample(LOCK_SETTLE_MS), sample(LOCK_SETTLE_MS + 250, { locks: kept })]).violations, []);
  assert.deepEqual(run([sample(0, { locks: kept }), sample(LOCK_SETTLE_MS, { locks: kept })]).violations, []);
});

test('a holder that is not a tier of the instance breaks one-holder-per-tier', () => {
  const foreign = { cop: held(10), manager: { holder: 99, filePid: 99, holderIsTier: false }, server: held(30) };
  const { violations } = run([sample(0, { locks: foreign }), sample(LOCK_SETTLE_MS, { locks: foreign })]);
  assert.match(violations[0]?.message ?? '', /manager\.lock is held by PID 99 but the holder is not a live process of this instance/);
});

test('a closed listening socket is reported once per gap, and only while running', () => {
  const { violations } = run([sample(0, { listening: false }), sample(250, { listening: false }), sample(500), sample(750, { listening: false })]);
  assert.deepEqual(violations.map((v) => [v.invariant, v.at]), [['listening-socket', 0], ['listening-socket', 750]]);
  assert.deepEqual(run([sample(0, { listening: false, phase: 'planned-stop' }), sample(250, { listening: false, phase: 'starting' }), sample(500, { listening: false, phase: 'stopping' })]).violations, []);
});

const zombie = (over: Partial<ProcessObservation> = {}): ProcessObservation => ({
  pid: 31, starttime: 5, tier: 'server', state: 'Z', ppid: 20, parentState: 'S', parentIsInstance: true, parentIsHarness: false, ...over,
});

test('a zombie its tier parent leaves for a second breaks no-lingering-zombie, once', () => {
  const s = (at: number, p: ProcessObservation[] | null) => sample(at, { processes: p });
  assert.deepEqual(run([s(0, [zombie()]), s(ZOMBIE_LINGER_MS - 1, [zombie()])]).violations, []);
  const { violations } = run([s(0, [zombie()]), s(500, null), s(ZOMBIE_LINGER_MS, [zombie()]), s(2 * ZOMBIE_LINGER_MS, [zombie()])]);
  assert.equal(violations.length, 1);
  assert.equal(violations[0]!.invariant, 'no-lingering-zombie');
  // Reaped in between: a new zombie of the same PID is a new one.
  assert.deepEqual(run([s(0, [zombie()]), s(500, []), s(ZOMBIE_LINGER_MS, [zombie()])]).violations, []);
});

test('a zombie under a stopped parent is not counted until the parent runs again', () => {
  const stopped = zombie({ parentState: 'T' });
  const { violations } = run([sample(0, { processes: [stopped] }), sample(3000, { processes: [stopped] }), sample(3500, { processes: [zombie()] }), sample(4000, { processes: [zombie()] })]);
  assert.deepEqual(violations, []);
});

test('a zombie under a parent outside the instance is an environment note, not a violation', () => {
  const orphan = zombie({ ppid: 1, parentIsInstance: false });
  const { violations, state } = run([sample(0, { processes: [orphan] }), sample(ZOMBIE_LINGER_MS, { processes: [orphan] })]);
  assert.deepEqual(violations, []);
  assert.deepEqual(state.orphanZombies, ['31:5']);
  const underHarness = zombie({ ppid: 7, parentIsInstance: false, parentIsHarness: true });
  assert.equal(run([sample(0, { processes: [underHarness] }), sample(ZOMBIE_LINGER_MS, { processes: [underHarness] })]).violations.length, 1);
});

test('a decoy that died breaks only-our-own, once', () => {
  const alive = [{ name: 'look-alike', pid: 5, starttime: 1, alive: true }];
  const dead = [{ name: 'look-alike', pid: 5, starttime: 1, alive: false }];
  const { violations } = run([sample(0, { decoys: alive }), sample(250, { decoys: dead }), sample(500, { decoys: dead })]);
  assert.equal(violations.length, 1);
  assert.equal(violations[0]!.invariant, 'only-our-own');
});

test('after the stop, a live process of the instance or a held lock is a stray', () => {
  const clean = sample(0, { phase: 'stopped', locks: { cop: free, manager: free, server: free }, processes: [zombie({ parentIsInstance: false })] });
  assert.deepEqual(checkAfterStop(clean), []);
  const dirty = sample(0, { phase: 'stopped', locks: { cop: free, manager: free, server: held(30) }, processes: [zombie({ state: 'S' })] });
  const violations = checkAfterStop(dirty);
  assert.deepEqual(violations.map((v) => v.invariant), ['no-stray-after-stop', 'no-stray-after-stop']);
  assert.match(violations[0]!.message, /server PID 31 \(state S\) is still running/);
  assert.match(violations[1]!.message, /server\.lock is still held by PID 30/);
});
