// The progress record a server's main thread advances in shared memory and its liveness worker reads.
// Both threads read the same monotonic clock (process.hrtime), so ages are comparable across them.

import { LIVENESS_VERSION, type LivenessReport } from '../wire/liveness.js';

// The progress timer's fields (written 20 times a second) are BigInt64; the per-request counters are
// Int32 in a region of their own, so counting a request reads no clock and allocates nothing (measured:
// two hrtime.bigint() reads and four BigInt atomics per request were the keep-alive gap against bare,
// docs/benchmarks.md "pinned"). The worker dates the counters' changes on its own clock (ProgressObserver).
const SLOT = { beatAt: 0, turns: 1, lag: 2 } as const;
const TIMED_SLOTS = 3;
const COUNT = { started: 0, completed: 1, oldestSeq: 2 } as const;
const COUNT_SLOTS = 4; // one spare, to keep the buffer a whole number of 8-byte slots
const COUNTS_OFFSET = TIMED_SLOTS * BigInt64Array.BYTES_PER_ELEMENT;

/** Monotonic microseconds, the same clock in every thread of the process. */
export function monotonicUs(): bigint {
  return process.hrtime.bigint() / 1000n;
}

/** A fresh progress record, to share with a worker (workerData carries SharedArrayBuffers by reference). */
export function createProgressBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(COUNTS_OFFSET + COUNT_SLOTS * Int32Array.BYTES_PER_ELEMENT);
}

/** What the record holds, as plain numbers (µs timestamps on the monotonic clock). */
export interface ProgressSnapshot {
  readonly beatAtUs: number;
  readonly turns: number;
  readonly lagUs: number;
  /** Requests started and completed, modulo 2^32. */
  readonly started: number;
  readonly completed: number;
  /** Sequence number of the oldest in-flight request, 0 when none. */
  readonly oldestSeq: number;
}

/** Reads the record (any thread). */
export function readProgress(buffer: SharedArrayBuffer): ProgressSnapshot {
  const timed = new BigInt64Array(buffer, 0, TIMED_SLOTS);
  const counts = new Int32Array(buffer, COUNTS_OFFSET, COUNT_SLOTS);
  const get = (slot: number) => Number(Atomics.load(timed, slot));
  // Completed first: a request may start and end between the two loads, and started must not read
  // behind completed (in flight = started - completed, modulo 2^32).
  const completed = Atomics.load(counts, COUNT.completed) >>> 0;
  const started = Atomics.load(counts, COUNT.started) >>> 0;
  return {
    beatAtUs: get(SLOT.beatAt),
    turns: get(SLOT.turns),
    lagUs: get(SLOT.lag),
    started,
    completed,
    oldestSeq: Atomics.load(counts, COUNT.oldestSeq) >>> 0,
  };
}

/** The main thread's side: the timer's tick stores the time; a request only counts (a few Int32 atomics). */
export class ProgressWriter {
  private readonly timed: BigInt64Array;
  private readonly counts: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.timed = new BigInt64Array(buffer, 0, TIMED_SLOTS);
    this.counts = new Int32Array(buffer, COUNTS_OFFSET, COUNT_SLOTS);
    this.beat();
  }

  /** The main thread ran: progress. Returns the time it stored. */
  beat(now: bigint = monotonicUs()): bigint {
    Atomics.store(this.timed, SLOT.beatAt, now);
    return now;
  }

  /** One progress-timer tick, with its lateness. */
  tick(nowUs: bigint, lagUs: bigint): void {
    this.beat(nowUs);
    Atomics.add(this.timed, SLOT.turns, 1n);
    Atomics.store(this.timed, SLOT.lag, lagUs);
  }

  /** Counts a request; returns its sequence number (never 0, so 0 can mean "none in flight"). */
  requestStarted(): number {
    const seq = (Atomics.add(this.counts, COUNT.started, 1) + 1) >>> 0;
    return seq === 0 ? 1 : seq;
  }

  requestFinished(): void {
    Atomics.add(this.counts, COUNT.completed, 1);
  }

  /** Sequence number of the oldest request still in flight, or 0. */
  setOldest(seq: number): void {
    Atomics.store(this.counts, COUNT.oldestSeq, seq | 0);
  }
}

/**
 * The worker's side: looks at the record often (every few tens of ms, and before each answer) and
 * dates what changed on its own clock. A change of the request counters is progress (a loop turn that
 * serves many requests back to back runs no timer, issue 13), dated at the look before the one that saw
 * it: never later than it happened. A new oldest in-flight request is dated the same way.
 */
export class ProgressObserver {
  private previous: ProgressSnapshot | null = null;
  private previousAtUs = 0;
  private countedAtUs = 0;
  private oldestSinceUs = 0;

  observe(snapshot: ProgressSnapshot, nowUs: number): void {
    const was = this.previous;
    // The first look sees no change: progress until a change is seen is the timer's beat alone (a
    // restarted worker must not vouch for a main thread it has not watched). An oldest request already
    // in flight at the first look is dated then (its real start is unknown).
    if (was !== null && (snapshot.started !== was.started || snapshot.completed !== was.completed)) this.countedAtUs = this.previousAtUs;
    if (was === null) this.oldestSinceUs = nowUs;
    else if (snapshot.oldestSeq !== was.oldestSeq) this.oldestSinceUs = this.previousAtUs;
    this.previous = snapshot;
    this.previousAtUs = nowUs;
  }

  /** The liveness answer at `nowUs`, after one more look at `snapshot`. */
  report(snapshot: ProgressSnapshot, nowUs: number, pid: number, token: string): LivenessReport {
    this.observe(snapshot, nowUs);
    return reportFromProgress(snapshot, nowUs, pid, token, this.countedAtUs, this.oldestSinceUs);
  }
}

const ms = (us: number): number => Math.round(us / 100) / 10;

/**
 * The liveness answer for `snapshot` read at `nowUs` (pure: the worker's clock is passed in). Progress is
 * the later of the timer's beat and `countedAtUs` (when the request counters last moved); the oldest
 * in-flight request is `oldestSinceUs` old.
 */
export function reportFromProgress(snapshot: ProgressSnapshot, nowUs: number, pid: number, token: string, countedAtUs = 0, oldestSinceUs = nowUs): LivenessReport {
  const progressAtUs = Math.max(snapshot.beatAtUs, countedAtUs);
  return {
    version: LIVENESS_VERSION,
    pid,
    token,
    progressAgeMs: ms(Math.max(0, nowUs - progressAtUs)),
    turns: snapshot.turns,
    lagMs: ms(snapshot.lagUs),
    inflight: (snapshot.started - snapshot.completed) >>> 0,
    started: snapshot.started,
    completed: snapshot.completed,
    oldestInflightMs: snapshot.oldestSeq === 0 ? 0 : ms(Math.max(0, nowUs - oldestSinceUs)),
  };
}
