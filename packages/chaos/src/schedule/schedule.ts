// The fault schedule: a pure function of the seed and the campaign's shape, so `--seed` replays it.
import { isHeld, type FaultCombo, type FaultKind, type FaultTier } from '../faults/fault.js';
import { integerBetween, mulberry32, pick } from '@tripod/core';

export interface PlannedFault {
  /** 1-based position in the schedule. */
  readonly index: number;
  /** When to inject it, in ms after the instance was first ready. */
  readonly atMs: number;
  readonly tier: FaultTier;
  readonly kind: FaultKind;
  /** How long a SIGSTOP is held before SIGCONT (0 for the other kinds). */
  readonly holdMs: number;
}

export interface ScheduleOptions {
  readonly seed: number;
  readonly durationMs: number;
  /** Faults per minute on average; 0 plans none. */
  readonly ratePerMinute: number;
  readonly combos: readonly FaultCombo[];
  /** No fault before this (the load settles first). */
  readonly warmupMs: number;
  /** No fault in the last this-many ms (the last fault has time to recover before the stop). */
  readonly cooldownMs: number;
  readonly holdMinMs: number;
  readonly holdMaxMs: number;
}

/**
 * Plans the faults: gaps drawn uniformly from 0.5× to 1.5× the mean gap (60 000 / rate ms), each
 * fault's (tier, kind) drawn uniformly from `combos`, a hold time drawn for every fault (used by
 * SIGSTOP only, drawn always so the sequence does not depend on the kinds allowed).
 */
export function planSchedule(options: ScheduleOptions): PlannedFault[] {
  const { seed, durationMs, ratePerMinute, combos, warmupMs, cooldownMs, holdMinMs, holdMaxMs } = options;
  if (ratePerMinute <= 0 || combos.length === 0) return [];
  const random = mulberry32(seed);
  const meanGapMs = 60_000 / ratePerMinute;
  const lastAt = durationMs - cooldownMs;
  const faults: PlannedFault[] = [];
  let at = warmupMs;
  for (;;) {
    at += meanGapMs * (0.5 + random());
    if (at > lastAt) break;
    const combo = pick(random, combos);
    const hold = integerBetween(random, holdMinMs, holdMaxMs);
    faults.push({ index: faults.length + 1, atMs: Math.round(at), tier: combo.tier, kind: combo.kind, holdMs: isHeld(combo.kind) ? hold : 0 });
  }
  return faults;
}
