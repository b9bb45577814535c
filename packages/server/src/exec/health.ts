// What the keeper says about its program's health, pure: the cop's question answered at once from the
// state (starting, draining, a recent WATCHDOG=1, a recent proof probe, recent activity in /proc), never
// by waiting on a probe, so a slow answer means a stopped or starved keeper, not a slow proof; and the
// watchdog's own verdict.
import type { KeeperAnswer } from '@tripod/core/wire/keeper';

export interface HealthState {
  readonly ready: boolean;
  readonly stopping: boolean;
  /** 0: no watchdog. */
  readonly watchdogMs: number;
  /** When the program last sent WATCHDOG=1 (or became ready). */
  readonly lastWatchdogAt: number;
  /** When a proof probe last showed the program's own processes accepting (null: never). */
  readonly lastProofAt: number | null;
  /** Why the last proof probe failed, if it did. */
  readonly lastProofError: string | null;
  /** When a look at /proc last showed the program's processes making system calls (activity.ts; null: never). */
  readonly lastActivityAt: number | null;
  /** Why the last look showed none, if it did not. */
  readonly lastStill: string | null;
  /** A proof older than this no longer shows progress. */
  readonly staleMs: number;
}

export type LivenessVerdict = { readonly ok: boolean; readonly error: string | null; readonly via: KeeperAnswer['via']; readonly progressAt: number | null };

/** The answer to the cop's question, from the state alone. */
export function decideLiveness(state: HealthState, now: number): LivenessVerdict {
  if (state.stopping) return { ok: true, error: null, via: 'draining', progressAt: state.lastProofAt };
  if (!state.ready) return { ok: false, error: 'is starting', via: null, progressAt: null };
  if (state.watchdogMs > 0 && now - state.lastWatchdogAt < state.watchdogMs) return { ok: true, error: null, via: 'watchdog', progressAt: state.lastWatchdogAt };
  // Ready counts as the first proof: READY=1, or the probe that made it ready.
  const proofAt = proofSince(state);
  const byActivity = state.lastActivityAt !== null && state.lastActivityAt > proofAt;
  const since = byActivity ? state.lastActivityAt! : proofAt;
  const via = byActivity ? 'activity' : 'probe';
  if (now - since <= state.staleMs) return { ok: true, error: null, via, progressAt: since };
  const last = [state.lastProofError && `last probe: ${state.lastProofError}`, state.lastStill && `/proc: ${state.lastStill}`].filter(Boolean).join('; ');
  return { ok: false, error: `showed no progress for ${now - since} ms${last ? ` (${last})` : ''}`, via, progressAt: since };
}

/** When a proof last showed progress (becoming ready counts as the first). */
function proofSince(state: HealthState): number {
  return state.lastProofAt ?? state.lastWatchdogAt;
}

/** True when the last look at /proc showed system calls, within `withinMs`: no proof probe is needed now. */
export function isActiveNow(state: HealthState, now: number, withinMs: number): boolean {
  return state.lastStill === null && state.lastActivityAt !== null && now - state.lastActivityAt <= withinMs;
}

/**
 * True when the last proof probe failed (a busy program's accept queue kept it waiting) while /proc
 * showed the program making system calls within `limitMs`: busy, not hung. Said in the log.
 */
export function isBusyNotHung(state: HealthState, now: number, limitMs: number): boolean {
  if (!state.ready || state.stopping || state.lastProofError === null || state.lastActivityAt === null) return false;
  return now - state.lastActivityAt <= limitMs;
}

/** True when a ready, serving program has sent no WATCHDOG=1 for longer than the watchdog interval. */
export function isWatchdogMissed(state: HealthState, now: number): boolean {
  return state.watchdogMs > 0 && state.ready && !state.stopping && now - state.lastWatchdogAt > state.watchdogMs;
}

/**
 * How long the program has shown no progress, for the cop's liveness contract (wire/liveness.ts): since
 * the latest of its last WATCHDOG=1 (or READY), its last proof probe and its last activity in /proc. 0
 * while starting or draining: the keeper holds no slot lock then, and the cop judges only lock holders.
 */
export function progressAgeMs(state: HealthState, now: number): number {
  if (!state.ready || state.stopping) return 0;
  return Math.max(0, now - Math.max(state.lastWatchdogAt, state.lastProofAt ?? 0, state.lastActivityAt ?? 0));
}
