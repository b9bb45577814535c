// The server -> cop liveness boundary: one JSON line a server's liveness worker writes to whoever
// connects to its private socket (<runtimeDir>/live/<pid>.sock). It says whether the server's main
// thread makes progress, read from shared memory by a thread that never waits in the request queue.
import { int, literal, num, parseVersioned, shape, str, type Parsed } from './check.js';
import { TripodError } from '../errors.js';

export const LIVENESS_VERSION = 1;

type Read<T> = (value: unknown, path: string) => T;

/** One liveness answer. Ages are in ms on the server's monotonic clock, taken when the worker answered. */
export interface LivenessReport {
  readonly version: typeof LIVENESS_VERSION;
  readonly pid: number;
  /** The server's secret: its heartbeat answers with it, so the cop knows which server answered. */
  readonly token: string;
  /** Time since the main thread last ran tripod's code (a timer tick, a request starting or ending). */
  readonly progressAgeMs: number;
  /** Progress-timer ticks so far. */
  readonly turns: number;
  /** Event-loop lag: the largest lateness of the progress timer over the last second or so. */
  readonly lagMs: number;
  /** Application requests started and not yet finished (the heartbeat path is not counted). */
  readonly inflight: number;
  readonly started: number;
  readonly completed: number;
  /** Age of the oldest in-flight request, 0 when none. */
  readonly oldestInflightMs: number;
}

/** What the cop concludes about the server holding server.lock (see docs/liveness.md). */
export const SERVER_VERDICTS = ['starting', 'ok', 'busy', 'stalled', 'wedged'] as const;
export type ServerVerdict = (typeof SERVER_VERDICTS)[number];

const duration: Read<number> = (v, path) => {
  const n = num(v, path);
  if (n < 0) throw new TripodError('ERR_WIRE_INVALID', `${path}: expected a duration of 0 ms or more, got ${n}`, { details: { path } });
  return n;
};
const count: Read<number> = (v, path) => {
  const n = int(v, path);
  if (n < 0) throw new TripodError('ERR_WIRE_INVALID', `${path}: expected a count of 0 or more, got ${n}`, { details: { path } });
  return n;
};

/** Reads a LivenessReport (also embedded in cop-status.json). */
export const readLivenessReport: Read<LivenessReport> = shape<LivenessReport>({
  version: literal(LIVENESS_VERSION),
  pid: count,
  token: str,
  progressAgeMs: duration,
  turns: count,
  lagMs: duration,
  inflight: count,
  started: count,
  completed: count,
  oldestInflightMs: duration,
});

/** Turns one untrusted line into a LivenessReport, or ERR_WIRE_VERSION / ERR_WIRE_INVALID naming the bad field. */
export function parseLivenessReport(line: string): Parsed<LivenessReport> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: new TripodError('ERR_WIRE_INVALID', `liveness report: not JSON: ${JSON.stringify(line.slice(0, 60))}`) };
  }
  return parseVersioned('liveness report', value, LIVENESS_VERSION, readLivenessReport);
}

/** The line a liveness worker writes. */
export function formatLivenessReport(report: LivenessReport): string {
  return JSON.stringify(report) + '\n';
}
