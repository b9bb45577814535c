// Is the server wedged, or only busy? Pure: the server's liveness report (progress read from shared
// memory by a thread that does not wait in the request queue) and the HTTP heartbeat through the
// listening port in, a verdict and at most one kill out. A server is wedged when its main thread makes
// no progress, not when a probe is slow: overload is never a reason to kill by default.
import type { ProbeResult } from '@tripod/core/heartbeat';
import type { LivenessReport } from '@tripod/core/wire/liveness';

/** What the cop concludes about the server holding server.lock. */
export type ServerVerdict =
  | 'starting' // in its start-up grace, no verdict yet
  | 'ok' // progresses, the heartbeat answers
  | 'busy' // progresses, but the heartbeat is slow or failing, or the event loop lags: overload
  | 'stalled' // the loop turns, requests are in flight, none completes (stuck promise, dead pool)
  | 'wedged'; // no progress (spinning, stopped) or the liveness socket silent, for hangAfterMs

export interface ServerWatch {
  /** The lock holder being judged; a new holder starts a fresh watch and a start-up grace. */
  readonly pid: number | null;
  readonly since: number;
  /** When the liveness socket last answered for this holder. */
  readonly lastAnswerAt: number | null;
  /** When the heartbeat through the port last answered, from this holder. */
  readonly lastServiceOkAt: number | null;
  /** Heartbeat failures in a row (a service signal: logged, in status, no kill by default). */
  readonly serviceFailures: number;
  /** Completed-request count at the last report, and when it last moved (or nothing was in flight). */
  readonly completed: number | null;
  readonly lastCompletionAt: number;
  readonly verdict: ServerVerdict;
  readonly report: LivenessReport | null;
}

export interface ServerObservation {
  readonly now: number;
  readonly holder: number | null;
  /** The liveness socket's answer, null when not asked. */
  readonly liveness: ProbeResult<LivenessReport> | null;
  /** The heartbeat through the port: ok only when the holder itself answered. Null when not asked. */
  readonly service: ProbeResult<unknown> | null;
}

export interface LivenessPolicy {
  /** No progress (or no liveness answer) for longer than this means wedged. */
  readonly hangAfterMs: number;
  readonly startGraceMs: number;
  /** Opt-in: kill when the heartbeat through the port has not answered for this long. Null: never. */
  readonly killOnSlowMs: number | null;
  /** Opt-in: kill a stalled server whose oldest request is this old and nothing completed as long. Null: never. */
  readonly stallKillMs: number | null;
}

export type ServerKill = { readonly cause: 'hang' | 'slow' | 'stall'; readonly reason: string };
export type LivenessLog = { readonly level: 'info' | 'warn' | 'error'; readonly event: string; readonly fields: Record<string, unknown> };

/** Event-loop lag from which a progressing server is reported busy. */
export const BUSY_LAG_MS = 500;

/**
 * The deadline of one holder's liveness probe: short (a worker thread answers at once; a single late
 * answer is no failure), and never later than just past the moment the holder's silence would exceed
 * hangAfterMs, so a silent server is judged then rather than a whole check period later.
 */
export function holderLivenessMs(config: { readonly probeTimeoutMs: number; readonly hangAfterMs: number }, lastAnswerAt: number | null, now: number): number {
  const full = Math.max(50, Math.min(config.probeTimeoutMs, Math.floor(config.hangAfterMs / 2)));
  if (lastAnswerAt === null) return full;
  // Up to 25 ms past the limit, so the check that starts one period after the last answer ends just
  // past it and decides (rather than the next check, a whole period later). The last answer is dated
  // when its check decided, after all that check's probes: by as much later than the check started,
  // this deadline may exceed the full one (up to half of it again), or that check would end short of the limit.
  return Math.max(50, Math.min(full + 25 + Math.floor(full / 2), lastAnswerAt + config.hangAfterMs + 25 - now));
}

export function freshWatch(pid: number | null, now: number): ServerWatch {
  return { pid, since: now, lastAnswerAt: null, lastServiceOkAt: null, serviceFailures: 0, completed: null, lastCompletionAt: now, verdict: 'starting', report: null };
}

export const INITIAL_SERVER_WATCH: ServerWatch = Object.freeze(freshWatch(null, 0));

function figures(report: LivenessReport | null): Record<string, unknown> {
  if (report === null) return {};
  const { progressAgeMs, lagMs, inflight, oldestInflightMs, completed, turns } = report;
  return { progressAgeMs, lagMs, inflight, oldestInflightMs, completed, turns };
}

/** One check's judgement of the server holding server.lock. */
export function judgeServer(previous: ServerWatch, obs: ServerObservation, policy: LivenessPolicy): { watch: ServerWatch; kill: ServerKill | null; logs: LivenessLog[] } {
  const logs: LivenessLog[] = [];
  const { now, holder } = obs;
  let w = previous.pid === holder ? previous : freshWatch(holder, now);
  if (holder === null) return { watch: w, kill: null, logs };

  const report = obs.liveness?.ok && obs.liveness.value.pid === holder ? obs.liveness.value : null;
  if (obs.liveness && report === null) {
    const error = obs.liveness.ok ? `answered for PID ${obs.liveness.value.pid}` : obs.liveness.error;
    // One missed answer is no news: in its start grace a server may hold its lock a moment before its
    // liveness socket listens, and a draining one lets its lock go and closes its socket between the lock
    // read and the probe. It is a warning once the silence is half a hang.
    const starting = obs.now < w.since + policy.startGraceMs && w.lastAnswerAt === null;
    const silentMs = now - (w.lastAnswerAt ?? w.since);
    const level = !starting && silentMs * 2 >= policy.hangAfterMs ? 'warn' : 'info';
    logs.push({ level, event: 'liveness.fail', fields: { pid: holder, error, ms: obs.liveness.ms, silentMs } });
  }
  if (report !== null) {
    const moved = w.completed === null || report.completed !== w.completed || report.inflight === 0;
    w = { ...w, lastAnswerAt: now, completed: report.completed, lastCompletionAt: moved ? now : w.lastCompletionAt, report };
  }
  if (obs.service) {
    if (obs.service.ok) w = { ...w, lastServiceOkAt: now, serviceFailures: 0 };
    else {
      w = { ...w, serviceFailures: w.serviceFailures + 1 };
      logs.push({ level: 'warn', event: 'heartbeat.fail', fields: { tier: 'server', pid: holder, n: w.serviceFailures, error: obs.service.error, ms: obs.service.ms, ...figures(report) } });
    }
  }

  const graceEnd = w.since + policy.startGraceMs;
  const inGrace = now < graceEnd;
  const silentMs = now - Math.max(w.lastAnswerAt ?? graceEnd, w.since);
  const noCompletionMs = now - w.lastCompletionAt;
  const stalledFor = report !== null && report.inflight > 0 ? Math.min(noCompletionMs, report.oldestInflightMs) : 0;
  const failing = obs.service !== null && !obs.service.ok;

  let verdict: ServerVerdict;
  let kill: ServerKill | null = null;
  if (report !== null && report.progressAgeMs > policy.hangAfterMs) {
    verdict = inGrace ? 'starting' : 'wedged';
    kill = { cause: 'hang', reason: `no progress for ${Math.round(report.progressAgeMs)} ms (limit ${policy.hangAfterMs} ms)` };
  } else if (report === null && silentMs > policy.hangAfterMs) {
    verdict = inGrace ? 'starting' : 'wedged';
    kill = { cause: 'hang', reason: `liveness socket silent for ${silentMs} ms (limit ${policy.hangAfterMs} ms)` };
  } else if (report === null) {
    verdict = inGrace || w.lastAnswerAt === null ? 'starting' : w.verdict;
  } else if (stalledFor >= policy.hangAfterMs) {
    verdict = 'stalled';
    if (policy.stallKillMs !== null && stalledFor >= policy.stallKillMs) {
      kill = { cause: 'stall', reason: `${report.inflight} requests in flight, none completed for ${stalledFor} ms (limit ${policy.stallKillMs} ms)` };
    }
  } else verdict = failing || report.lagMs >= BUSY_LAG_MS ? 'busy' : 'ok';

  const slowMs = now - Math.max(w.lastServiceOkAt ?? graceEnd, w.since);
  if (kill === null && policy.killOnSlowMs !== null && failing && slowMs >= policy.killOnSlowMs) {
    kill = { cause: 'slow', reason: `heartbeat through the port failing for ${slowMs} ms (--kill-on-slow-ms ${policy.killOnSlowMs})` };
  }
  if (inGrace) kill = null;

  if (verdict !== w.verdict) {
    const level = verdict === 'wedged' ? 'error' : verdict === 'busy' || verdict === 'stalled' ? 'warn' : 'info';
    logs.push({ level, event: `server.${verdict}`, fields: { pid: holder, was: w.verdict, ...figures(report) } });
  }
  w = { ...w, verdict };
  // A kill ends this holder's watch: its replacement starts a fresh one.
  return { watch: kill ? { ...w, lastAnswerAt: null, lastServiceOkAt: null, since: now } : w, kill, logs };
}
