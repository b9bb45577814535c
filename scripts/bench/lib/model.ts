// The shapes the bench passes around: the targets it measures, the faults it injects, its results.
import type { PoolResult } from '../phases/pool.js';
import type { RollingResult } from '../phases/rolling.js';
import type { PinnedResult } from '../phases/pool-pinned.js';
import type { ChildProcess } from 'node:child_process';
import type { Outcome } from '@tripod/chaos';
import type { LogEvent } from './timeline.js';
import type { ExecResult } from '../phases/exec.js';

export type Progress = (line: string) => void;
export type Counts = Record<string, number>;

/** What inject() did: when, which PID served before, the PIDs that must be gone after recovery. */
export interface Injected {
  readonly at: number;
  readonly servedBy: number | null | undefined;
  readonly oldPids: readonly (number | null | undefined)[];
}

/** Something the bench faults and measures: tripod, or a plain application. */
export interface Target {
  readonly kind: string;
  readonly port: number;
  waitStable(): Promise<unknown>;
  prepare(fault: string): Promise<void>;
  inject(fault: string): Injected;
  recover(injected: Injected, timeoutMs?: number): Promise<unknown>;
  logEvents?(): LogEvent[];
  stop(): Promise<void>;
}

export interface TripodTarget extends Target {
  waitStable(oldPids?: readonly (number | null | undefined)[], timeoutMs?: number): Promise<unknown>;
  readonly dir: string;
  readonly cop: ChildProcess;
  holder(tier: 'cop' | 'manager' | 'server'): number | null;
  pids(): { cop: number | undefined; manager: number | null; server: number | null };
  logEvents(): LogEvent[];
}

export interface PlainTarget extends Target {
  readonly pid: number | undefined;
}

export interface PollRecord {
  readonly sentAt: number;
  readonly doneAt: number;
  readonly outcome: Outcome;
  readonly pid: number | null;
}

export interface BootTrace {
  readonly preloadMs: number;
  readonly listenMs: number;
  readonly packages: Record<string, number>;
}

export interface BootResult {
  readonly samples: { nodeEmpty: number[]; bare: number[]; server: number[] };
  readonly traces: { bare: BootTrace; server: BootTrace };
  readonly importCosts: Record<string, { ms: number | null; loadedBeforeListen: boolean; modules: number }>;
}

export interface RecoverySample {
  readonly firstOkMs: number;
  readonly newProcessMs: number;
  readonly maxLatencyMs: number;
  readonly counts: Counts;
  readonly offsets: Record<string, number>;
}

export interface RecoveryResult {
  readonly name: string;
  readonly label: string;
  readonly samples: RecoverySample[];
}

export interface LoadResult {
  readonly name: string;
  readonly label: string;
  readonly mode: string;
  readonly faults: number;
  readonly windowMs: number;
  readonly total: number;
  readonly counts: Record<Outcome, number>;
  readonly maxMs: number;
}

export interface ThroughputRun {
  readonly round: number;
  readonly mode: string;
  readonly target: string;
  readonly rps: number;
  readonly p99Ms: number | null;
  readonly ok: number;
  readonly failed: number;
  readonly cpuMs: number | null;
  readonly servingCpuMs: number | null | undefined;
  readonly cpu: Record<string, number | null>;
  readonly processes: Record<string, number | null | undefined>;
}

export interface IdleResult {
  readonly name: string;
  readonly pid: number | null | undefined;
  readonly cpuPercent: number | null;
  readonly cpuMs: number | null;
  readonly windowS: number;
  readonly procNetTcpLines: number;
  readonly rssMiB: number;
}

export interface Verdicts {
  managerHeartbeatFailures: number;
  serverHeartbeatFailures: number;
  managerKills: number;
  serverKills: number;
}

/** One overload window: bare or tripod, at one load level. */
export interface OverloadRow {
  readonly target: 'bare' | 'tripod' | 'tripod-kill-on-slow';
  readonly clients: number;
  readonly total: number;
  readonly ok: number;
  readonly failed: number;
  readonly counts: Record<Outcome, number>;
  readonly maxMs: number;
  /** Kills the cop made during the window (null for bare). */
  readonly kills: number | null;
  /** The largest event-loop lag the cop saw (null for bare). */
  readonly maxLagMs: number | null;
  readonly verdicts: readonly string[];
  /** The opt-in --kill-on-slow-ms of the run, null on the defaults. */
  readonly killOnSlowMs: number | null;
}

export interface Results {
  meta: Record<string, unknown> & { date: string; cpus: number; cpuModel: string; node: string; loadavgStart: number[]; loadavgEnd?: number[]; durationS?: number; options: { quick: boolean; copArgs: readonly string[] } };
  boot: BootResult | null;
  recovery: RecoveryResult[] | null;
  load: LoadResult[] | null;
  throughput: ThroughputRun[] | null;
  throughputVerdicts: Verdicts | null;
  idle: IdleResult[] | null;
  overload: OverloadRow[] | null;
  /** Exec mode: gunicorn kept by tripod against gunicorn in a shell loop (absent in older reports). */
  exec?: ExecResult | null;
  pool?: PoolResult | null;
  rolling?: RollingResult | null;
  pinned?: PinnedResult | null;
}
