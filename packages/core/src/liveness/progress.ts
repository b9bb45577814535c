// The progress record a server's main thread advances in shared memory and its liveness worker reads.
// Both threads read the same monotonic clock (process.hrtime), so ages are comparable across them.

import { LIVENESS_VERSION, type LivenessReport } from '../wire/liveness.js';

const SLOT = { beatAt: 0, turns: 1, lag: 2, started: 3, completed: 4, oldestAt: 5 } as const;
const SLOTS = 6;

/** Monotonic microseconds, the same clock in every thread of the process. */
export function monotonicUs(): bigint {
  return process.hrtime.bigint() / 1000n;
}

/** A fresh progress record, to share with a worker (workerData carries SharedArrayBuffers by reference). */
export function createProgressBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * BigInt64Array.BYTES_PER_ELEMENT);
}

/** What the record holds, as plain numbers (µs timestamps on the monotonic clock). */
export interface ProgressSnapshot {
  readonly beatAtUs: number;
  readonly turns: number;
  readonly lagUs: number;
  readonly started: number;
  readonly completed: number;
  /** Start time of the oldest in-flight request, 0 when none. */
  readonly oldestAtUs: number;
}

/** Reads the record (any thread). */
export function readProgress(buffer: SharedArrayBuffer): ProgressSnapshot {
  const a = new BigInt64Array(buffer);
  const get = (slot: number) => Number(Atomics.load(a, slot));
  return {
    beatAtUs: get(SLOT.beatAt),
    turns: get(SLOT.turns),
    lagUs: get(SLOT.lag),
    started: get(SLOT.started),
    completed: get(SLOT.completed),
    oldestAtUs: get(SLOT.oldestAt),
  };
}

/** The main thread's side: every call is a few atomic stores, cheap enough for every request. */
export class ProgressWriter {
  private readonly a: BigInt64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.a = new BigInt64Array(buffer);
    this.beat();
  }

  /** The main thread ran: progress. Returns the time it stored. */
  beat(now: bigint = monotonicUs()): bigint {
    Atomics.store(this.a, SLOT.beatAt, now);
    return now;
  }

  /** One progress-timer tick, with its lateness. */
  tick(nowUs: bigint, lagUs: bigint): void {
    this.beat(nowUs);
    Atomics.add(this.a, SLOT.turns, 1n);
    Atomics.store(this.a, SLOT.lag, lagUs);
  }

  requestStarted(): bigint {
    Atomics.add(this.a, SLOT.started, 1n);
    return this.beat();
  }

  requestFinished(): void {
    Atomics.add(this.a, SLOT.completed, 1n);
    this.beat();
  }

  /** Start time of the oldest request still in flight, or 0n. */
  setOldest(startedAtUs: bigint): void {
    Atomics.store(this.a, SLOT.oldestAt, startedAtUs);
  }
}

const ms = (us: number): number => Math.round(us / 100) / 10;

/** The liveness answer for `snapshot` read at `nowUs` (pure: the worker's clock is passed in). */
export function reportFromProgress(snapshot: ProgressSnapshot, nowUs: number, pid: number, token: string): LivenessReport {
  return {
    version: LIVENESS_VERSION,
    pid,
    token,
    progressAgeMs: ms(Math.max(0, nowUs - snapshot.beatAtUs)),
    turns: snapshot.turns,
    lagMs: ms(snapshot.lagUs),
    inflight: Math.max(0, snapshot.started - snapshot.completed),
    started: snapshot.started,
    completed: snapshot.completed,
    oldestInflightMs: snapshot.oldestAtUs === 0 ? 0 : ms(Math.max(0, nowUs - snapshot.oldestAtUs)),
  };
}
