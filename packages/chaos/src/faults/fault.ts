// The faults the harness injects: which tiers, which signals, and which client failures each one may
// legitimately cause (everything else a fault window contains is a violation).
import type { Tier } from '@tripod/core';
import type { Outcome } from '../load/outcome.js';

export const FAULT_TIERS = ['cop', 'manager', 'server', 'manager+server'] as const;
export type FaultTier = (typeof FAULT_TIERS)[number];

/**
 * SIGSTOP is held for a while, then SIGCONT; SIGUSR1 to the cop is a graceful server restart;
 * overload is a burst of requests (its hold long) from many keep-alive clients at the server, which
 * must kill nothing and fail nothing (issue 13: overload is not a hang).
 */
export const FAULT_KINDS = ['SIGKILL', 'SIGTERM', 'SIGSEGV', 'SIGABRT', 'SIGSTOP', 'SIGUSR1', 'overload'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The kinds a campaign draws from unless told otherwise (overload is asked for: it needs an expensive path). */
export const DEFAULT_FAULT_KINDS: readonly FaultKind[] = FAULT_KINDS.filter((k) => k !== 'overload');

/** Faults held for `holdMs` before they count as over (a stop, a burst). */
export function isHeld(kind: FaultKind): boolean {
  return kind === 'SIGSTOP' || kind === 'overload';
}

export interface FaultCombo {
  readonly tier: FaultTier;
  readonly kind: FaultKind;
}

/** The tiers a fault target names, in the order they are signalled. */
export function tiersOf(target: FaultTier): readonly Tier[] {
  return target === 'manager+server' ? ['manager', 'server'] : [target];
}

/** SIGTERM to the cop stops the whole instance by design: a planned stop, not a failure. */
export function isPlannedStop(combo: FaultCombo): boolean {
  return combo.tier === 'cop' && combo.kind === 'SIGTERM';
}

/** True for faults after which the target must be a new process (not the same one resumed). */
export function replacesTarget(kind: FaultKind): boolean {
  return kind !== 'SIGSTOP' && kind !== 'SIGUSR1' && kind !== 'overload';
}

/**
 * The (tier, kind) pairs a campaign draws from. SIGUSR1 only means something to the cop; SIGTERM to
 * the cop (a planned stop) only when asked for.
 */
export function faultCombos(tiers: readonly FaultTier[], kinds: readonly FaultKind[], plannedStops: boolean): FaultCombo[] {
  const combos: FaultCombo[] = [];
  for (const tier of tiers) {
    for (const kind of kinds) {
      if (kind === 'SIGUSR1' && tier !== 'cop') continue;
      if (kind === 'overload' && tier !== 'server') continue;
      if (isPlannedStop({ tier, kind }) && !plannedStops) continue;
      combos.push({ tier, kind });
    }
  }
  return combos;
}

/**
 * Failure classes a fault may cause without breaking an invariant. A server that dies or is killed
 * as wedged takes the connections it had accepted with it (resets); a planned stop closes the
 * listening socket (refused, and resets of what was queued). Graceful paths (SIGTERM to a tier,
 * SIGUSR1) and faults that leave the server alone may fail nothing.
 */
export function expectedFailures(combo: FaultCombo): readonly Outcome[] {
  if (isPlannedStop(combo)) return ['refused', 'reset'];
  const hitsServer = combo.tier === 'server' || combo.tier === 'manager+server';
  if (hitsServer && combo.kind !== 'SIGTERM' && combo.kind !== 'SIGUSR1' && combo.kind !== 'overload') return ['reset'];
  return [];
}
