// The invariant checks over samples, pure: a reducer fed one sample at a time, each breach reported
// once (a lock mismatch once per holder, a listening gap once per gap, a zombie once, a decoy once).
import { TIERS } from '@tripod/core';
import type { InvariantName, Violation } from './invariant-names.js';
import type { ProcessObservation, Sample } from './sample.js';

/** A lock whose file disagrees with its holder is a breach only if it stays so this long (the holder writes its PID just after locking). */
export const LOCK_SETTLE_MS = 500;
/** A zombie seen this long apart (its parent not stopped meanwhile) was not reaped. */
export const ZOMBIE_LINGER_MS = 1000;

export interface CheckState {
  /** Per tier: the mismatch being watched and since when. */
  readonly lockMismatch: Readonly<Record<string, { readonly key: string; readonly since: number; readonly reported: boolean }>>;
  /** Start of the current listening gap, or null. */
  readonly listenGapSince: number | null;
  /** Zombies (pid:starttime) → first seen while the parent ran. */
  readonly zombies: Readonly<Record<string, { readonly since: number; readonly reported: boolean }>>;
  readonly deadDecoys: readonly string[];
  /** Zombies whose parent is outside the instance and the harness (the host's init does not reap). */
  readonly orphanZombies: readonly string[];
}

export const INITIAL_CHECK_STATE: CheckState = Object.freeze({ lockMismatch: {}, listenGapSince: null, zombies: {}, deadDecoys: [], orphanZombies: [] });

export interface CheckResult {
  readonly state: CheckState;
  readonly violations: Violation[];
}

function breach(invariant: InvariantName, sample: Sample, message: string): Violation {
  return { invariant, at: sample.at, message, fault: sample.fault };
}

function checkLocks(state: CheckState, sample: Sample, out: Violation[]): CheckState['lockMismatch'] {
  const next: Record<string, { key: string; since: number; reported: boolean }> = {};
  for (const tier of TIERS) {
    const lock = sample.locks[tier];
    if (lock.holder === null || (lock.holderIsTier && (lock.filePid === lock.holder || lock.fileNamesKept === true))) continue;
    const key = `${lock.holder}/${lock.filePid}/${lock.holderIsTier}`;
    const prev = state.lockMismatch[tier];
    const watch = prev && prev.key === key ? prev : { key, since: sample.at, reported: false };
    if (!watch.reported && sample.at - watch.since >= LOCK_SETTLE_MS) {
      const what = lock.holderIsTier ? `the lock file says ${lock.filePid ?? 'nothing valid'}` : 'the holder is not a live process of this instance marked as that tier';
      out.push(breach('one-holder-per-tier', sample, `${tier}.lock is held by PID ${lock.holder} but ${what} (for ${sample.at - watch.since} ms)`));
      next[tier] = { ...watch, reported: true };
    } else next[tier] = watch;
  }
  return next;
}

function checkListening(state: CheckState, sample: Sample, out: Violation[]): number | null {
  if (sample.phase !== 'running' || sample.listening) return null;
  if (state.listenGapSince === null) out.push(breach('listening-socket', sample, 'no LISTEN row for the service port: the listening socket is closed'));
  return state.listenGapSince ?? sample.at;
}

function zombieKey(p: ProcessObservation): string {
  return `${p.pid}:${p.starttime}`;
}

function checkZombies(state: CheckState, sample: Sample, out: Violation[]): Pick<CheckState, 'zombies' | 'orphanZombies'> {
  if (sample.processes === null) return state;
  const zombies: Record<string, { since: number; reported: boolean }> = {};
  const orphans = [...state.orphanZombies];
  for (const p of sample.processes) {
    if (p.state !== 'Z') continue;
    const key = zombieKey(p);
    // A stopped parent cannot reap; the clock starts when it runs again.
    if (p.parentState === 'T' || p.parentState === 't') continue;
    const seen = state.zombies[key] ?? { since: sample.at, reported: false };
    if (!seen.reported && sample.at - seen.since >= ZOMBIE_LINGER_MS) {
      if (p.parentIsInstance || p.parentIsHarness) {
        const parent = p.parentIsInstance ? 'a process of the instance' : 'the harness';
        out.push(breach('no-lingering-zombie', sample, `${p.tier} PID ${p.pid} is a zombie for ${sample.at - seen.since} ms; its parent PID ${p.ppid} (${parent}) does not reap it`));
      } else if (!orphans.includes(key)) orphans.push(key);
      zombies[key] = { ...seen, reported: true };
    } else zombies[key] = seen;
  }
  return { zombies, orphanZombies: orphans };
}

function checkDecoys(state: CheckState, sample: Sample, out: Violation[]): readonly string[] {
  const dead = [...state.deadDecoys];
  for (const d of sample.decoys) {
    if (d.alive || dead.includes(d.name)) continue;
    dead.push(d.name);
    out.push(breach('only-our-own', sample, `decoy "${d.name}" (PID ${d.pid}) is gone: something outside the instance was killed`));
  }
  return dead;
}

/** Checks one sample; returns the new state and the breaches first seen in it. */
export function checkSample(state: CheckState, sample: Sample): CheckResult {
  const violations: Violation[] = [];
  const lockMismatch = checkLocks(state, sample, violations);
  const listenGapSince = checkListening(state, sample, violations);
  const { zombies, orphanZombies } = checkZombies(state, sample, violations);
  const deadDecoys = checkDecoys(state, sample, violations);
  return { state: { lockMismatch, listenGapSince, zombies, deadDecoys, orphanZombies }, violations };
}

/** After the stop: no live process of the instance, every lock free. */
export function checkAfterStop(sample: Sample): Violation[] {
  const out: Violation[] = [];
  for (const p of sample.processes ?? []) {
    if (p.state === 'Z' || p.state === 'X') continue;
    out.push(breach('no-stray-after-stop', sample, `${p.tier} PID ${p.pid} (state ${p.state}) is still running after the stop`));
  }
  for (const tier of TIERS) {
    const holder = sample.locks[tier].holder;
    if (holder !== null) out.push(breach('no-stray-after-stop', sample, `${tier}.lock is still held by PID ${holder} after the stop`));
  }
  return out;
}
