// The restart policy: a pure function over a tier's recent deaths.

export interface Death {
  readonly at: number;
  readonly code: number | null;
  readonly signal: string | null;
  /** True when tripod itself asked the process to stop (stop, drain, restart, kill of a wedged process is not). */
  readonly requested: boolean;
  /** How long the process ran before it died. */
  readonly uptimeMs: number;
  /** It proved itself before it died (a manager whose server served): the crash count starts over. */
  readonly healthy?: boolean;
}

export interface RestartPolicy {
  /** Delay before the second restart in a row; doubles each time after that. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** ± fraction of the delay added at random, so a fleet does not restart in lock-step. */
  readonly jitter: number;
  /** A run at least this long counts as healthy and resets the backoff. */
  readonly healthyAfterMs: number;
  /** The exit code that means "do not restart me". */
  readonly noRestartCode: number;
}

export type RestartDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly consecutive: number }
  | { readonly action: 'stay-down'; readonly reason: 'requested' | 'no-restart-code' };

export const DEFAULT_RESTART_POLICY: RestartPolicy = Object.freeze({
  baseDelayMs: 100,
  maxDelayMs: 30_000,
  jitter: 0.2,
  healthyAfterMs: 30_000,
  noRestartCode: 125,
});

/** How many crashes in a row end `deaths` (newest last), counting back to the last healthy run. */
export function consecutiveCrashes(deaths: readonly Death[], policy: RestartPolicy): number {
  let count = 0;
  for (let i = deaths.length - 1; i >= 0; i--) {
    const death = deaths[i]!;
    if (death.requested) break;
    count++;
    if (death.uptimeMs >= policy.healthyAfterMs || death.healthy) break;
  }
  return count;
}

/**
 * What to do after the newest death in `deaths`: restart at once the first time, then back off
 * exponentially with jitter; never restart what was asked to stop or exited with the no-restart code.
 * `random` returns a number in [0, 1).
 */
export function decideRestart(deaths: readonly Death[], policy: RestartPolicy, random: () => number): RestartDecision {
  const last = deaths[deaths.length - 1];
  if (last === undefined || last.requested) return { action: 'stay-down', reason: 'requested' };
  if (last.code === policy.noRestartCode) return { action: 'stay-down', reason: 'no-restart-code' };
  const consecutive = consecutiveCrashes(deaths, policy);
  if (consecutive <= 1) return { action: 'restart', delayMs: 0, consecutive };
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (consecutive - 2));
  const spread = raw * policy.jitter * (2 * random() - 1);
  const delayMs = Math.max(0, Math.round(Math.min(policy.maxDelayMs, raw + spread)));
  return { action: 'restart', delayMs, consecutive };
}

/** Keeps the tally short: the deaths a decision can still depend on. */
export function trimDeaths(deaths: readonly Death[], keep = 32): Death[] {
  return deaths.slice(-keep);
}
