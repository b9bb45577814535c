// The shape of report.json: every event of a campaign, requests aggregated per bucket, every failure.
import type { Tier } from '@tripod/core';
import type { JudgedFailure } from '../analysis/attribution.js';
import type { BucketRow } from '../analysis/buckets.js';
import type { Violation } from '../analysis/invariant-names.js';
import type { Summary } from '../analysis/summary.js';
import type { FaultKind, FaultTier } from '../faults/fault.js';
import type { PlannedFault } from '../schedule/schedule.js';

export interface FaultTarget {
  readonly tier: Tier;
  readonly pid: number;
  readonly starttime: number;
}

/** recovered: service back within its bound and every tier repaired within its own; not-recovered: the service was not back in time; not-repaired: a tier was not replaced in time. */
export type FaultOutcome = 'recovered' | 'not-recovered' | 'not-repaired' | 'skipped';

export interface FaultRecord {
  readonly index: number;
  readonly tier: FaultTier;
  readonly kind: FaultKind;
  readonly holdMs: number;
  /** SIGTERM to the cop: the instance stops by design and the harness restarts it. */
  readonly planned: boolean;
  /** Wall-clock ms the schedule asked for (first ready + atMs). */
  readonly scheduledAt: number;
  readonly injectedAt: number | null;
  /** The service was back: a server (a new one after a server kill) answered the heartbeat. */
  readonly recoveredAt: number | null;
  readonly recoveryMs: number | null;
  /** Every tier was back: the killed targets replaced, the server a child of the manager. */
  readonly repairedAt: number | null;
  readonly repairMs: number | null;
  /** When the harness stopped watching it (repaired, or the repair bound passed): the end of its window. */
  readonly endedAt: number | null;
  readonly outcome: FaultOutcome;
  readonly targets: readonly FaultTarget[];
  /** The server PID answering the heartbeat before the fault and once recovered. */
  readonly servedBefore: number | null;
  readonly servedAfter: number | null;
  /** Why it was skipped, or what was odd about it. */
  readonly note: string | null;
}

/** One run of the cop under the harness (its outer supervisor). */
export interface CopRun {
  readonly pid: number;
  readonly startedAt: number;
  readonly exitedAt: number | null;
  readonly code: number | null;
  readonly signal: string | null;
}

export interface ChaosEvent {
  readonly at: number;
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface InstanceInfo {
  readonly runtimeDir: string;
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly app: string | null;
  /** A cop already ran in the runtime directory when the harness started. */
  readonly attached: boolean;
  /** How orphans of a killed cop are reaped: by the harness's subreaper shim, or by the host's init. */
  readonly reaper: 'subreaper' | 'host-init';
}

export interface ChaosReport {
  readonly tool: 'tripod-chaos';
  readonly formatVersion: 1;
  readonly options: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly startedAt: number;
  readonly readyAt: number | null;
  readonly endedAt: number;
  readonly instance: InstanceInfo;
  readonly schedule: readonly PlannedFault[];
  readonly faults: readonly FaultRecord[];
  readonly copRuns: readonly CopRun[];
  readonly events: readonly ChaosEvent[];
  readonly violations: readonly Violation[];
  readonly failures: readonly JudgedFailure[];
  /** Failures not stored individually because the list hit its cap (counted in the buckets still). */
  readonly failuresDropped: number;
  readonly buckets: { readonly origin: number; readonly bucketMs: number; readonly fields: readonly string[]; readonly rows: readonly BucketRow[] };
  readonly samples: { readonly count: number; readonly scans: number };
  readonly notes: readonly string[];
  readonly summary: Summary;
}
