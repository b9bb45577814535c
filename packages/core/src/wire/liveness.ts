// The server -> cop liveness boundary: one JSON line a server's liveness worker writes to whoever
// connects to its private socket. It says whether the server's main thread makes progress, read from
// shared memory by a thread that never waits in the request queue.
import { TripodError } from '../errors.js';

export const LIVENESS_VERSION = 1;

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

export type ParsedLiveness = { readonly ok: true; readonly value: LivenessReport } | { readonly ok: false; readonly error: TripodError };

const COUNTS = ['pid', 'turns', 'inflight', 'started', 'completed'] as const;
const DURATIONS = ['progressAgeMs', 'lagMs', 'oldestInflightMs'] as const;

function invalid(message: string, details: Record<string, unknown> = {}): ParsedLiveness {
  return { ok: false, error: new TripodError('ERR_CONTROL_PROTOCOL', `liveness report: ${message}`, { details }) };
}

/** Turns one untrusted line into a LivenessReport, or a typed error naming the bad field. */
export function parseLivenessReport(line: string): ParsedLiveness {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return invalid(`not JSON: ${JSON.stringify(line.slice(0, 60))}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('expected an object');
  const v = value as Record<string, unknown>;
  if (v.version !== LIVENESS_VERSION) return invalid(`version ${JSON.stringify(v.version) ?? 'missing'} is not ${LIVENESS_VERSION}`, { field: 'version' });
  for (const field of COUNTS) {
    if (!Number.isSafeInteger(v[field]) || (v[field] as number) < 0) return invalid(`${field}: expected a whole number, got ${JSON.stringify(v[field])}`, { field });
  }
  for (const field of DURATIONS) {
    const n = v[field];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return invalid(`${field}: expected a duration in ms, got ${JSON.stringify(n)}`, { field });
  }
  if (typeof v.token !== 'string' || v.token === '') return invalid('token: expected a non-empty string', { field: 'token' });
  const report: LivenessReport = {
    version: LIVENESS_VERSION,
    pid: v.pid as number,
    token: v.token,
    progressAgeMs: v.progressAgeMs as number,
    turns: v.turns as number,
    lagMs: v.lagMs as number,
    inflight: v.inflight as number,
    started: v.started as number,
    completed: v.completed as number,
    oldestInflightMs: v.oldestInflightMs as number,
  };
  return { ok: true, value: report };
}

/** The line a liveness worker writes. */
export function formatLivenessReport(report: LivenessReport): string {
  return JSON.stringify(report) + '\n';
}
