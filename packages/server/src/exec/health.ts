// What the keeper says about its program's health, pure: the cop's question answered from the state
// (starting, draining, a recent WATCHDOG=1) or by a proof probe, and the watchdog's own verdict.
import type { KeeperAnswer } from '@tripod/core/wire/keeper';

export interface HealthState {
  readonly ready: boolean;
  readonly stopping: boolean;
  /** 0: no watchdog. */
  readonly watchdogMs: number;
  /** When the program last sent WATCHDOG=1 (or became ready). */
  readonly lastWatchdogAt: number;
}

/** An answer known without a probe, or `probe` when only a proof probe can tell. */
export type LivenessDecision = { readonly kind: 'answer'; readonly ok: boolean; readonly error: string | null; readonly via: KeeperAnswer['via'] } | { readonly kind: 'probe' };

export function decideLiveness(state: HealthState, now: number): LivenessDecision {
  if (state.stopping) return { kind: 'answer', ok: true, error: null, via: 'draining' };
  if (!state.ready) return { kind: 'answer', ok: false, error: 'is starting', via: null };
  if (state.watchdogMs > 0 && now - state.lastWatchdogAt < state.watchdogMs) return { kind: 'answer', ok: true, error: null, via: 'watchdog' };
  return { kind: 'probe' };
}

/** True when a ready, serving program has sent no WATCHDOG=1 for longer than the watchdog interval. */
export function isWatchdogMissed(state: HealthState, now: number): boolean {
  return state.watchdogMs > 0 && state.ready && !state.stopping && now - state.lastWatchdogAt > state.watchdogMs;
}
