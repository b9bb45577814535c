// The cop's status document, cop-status.json: written atomically by the cop after each check cycle,
// read by ctl (status, reload) and metrics without asking anyone. Versioned like the manager's.
import { int, list, literal, nullable, num, parseVersioned, record, shape, str, type Parsed } from './check.js';

export const COP_STATUS_VERSION = 1;

/** A heartbeat that succeeded: its round trip and when. */
export interface Beat {
  readonly ms: number;
  readonly at: number;
}

export interface ReloadReport {
  readonly at: number;
  readonly applied: readonly string[];
  readonly needsRestart: readonly string[];
  readonly error: string | null;
}

export interface ManagerExit {
  readonly pid: number | null;
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: number;
}

export interface CopStatus {
  readonly version: typeof COP_STATUS_VERSION;
  readonly cop: { readonly pid: number; readonly startedAt: number };
  readonly managerStarts: number;
  readonly managerRestarts: number;
  /** Kills the cop decided on: tier -> cause (heartbeat, stray, …) -> count. */
  readonly kills: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly lastPing: Beat | null;
  readonly lastServerProbe: Beat | null;
  readonly firstReadyAt: number | null;
  readonly lastReload: ReloadReport | null;
  readonly managerLastExit: ManagerExit | null;
  /** When the cop will start the next manager after a crash loop, or null. */
  readonly managerBackoffUntil: number | null;
}

/** The document of a cop that has just started and done nothing yet. */
export function initialCopStatus(pid: number, startedAt: number): CopStatus {
  return {
    version: COP_STATUS_VERSION,
    cop: { pid, startedAt },
    managerStarts: 0,
    managerRestarts: 0,
    kills: {},
    lastPing: null,
    lastServerProbe: null,
    firstReadyAt: null,
    lastReload: null,
    managerLastExit: null,
    managerBackoffUntil: null,
  };
}

const readBeat = shape<Beat>({ ms: num, at: num });

const readStatus = shape<CopStatus>({
  version: literal(COP_STATUS_VERSION),
  cop: shape({ pid: int, startedAt: num }),
  managerStarts: int,
  managerRestarts: int,
  kills: record(record(int)),
  lastPing: nullable(readBeat),
  lastServerProbe: nullable(readBeat),
  firstReadyAt: nullable(num),
  lastReload: nullable(shape<ReloadReport>({ at: num, applied: list(str), needsRestart: list(str), error: nullable(str) })),
  managerLastExit: nullable(shape<ManagerExit>({ pid: nullable(int), code: nullable(int), signal: nullable(str), at: num })),
  managerBackoffUntil: nullable(num),
});

/** A cop status document, or ERR_WIRE_VERSION / ERR_WIRE_INVALID. */
export function parseCopStatus(value: unknown): Parsed<CopStatus> {
  return parseVersioned('cop status', value, COP_STATUS_VERSION, readStatus);
}
