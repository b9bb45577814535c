// The cop's status document, cop-status.json: written atomically by the cop after each check cycle,
// read by ctl (status, reload) and metrics without asking anyone. Versioned like the manager's.
import { int, list, literal, nullable, num, oneOf, parseVersioned, record, shape, str, type Parsed } from './check.js';
import { readLivenessReport, SERVER_VERDICTS, type LivenessReport, type ServerVerdict } from './liveness.js';

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

/** The cop's judgement of the server holding server.lock at its last check (docs/liveness.md). */
export interface ServerLivenessView {
  readonly pid: number;
  readonly verdict: ServerVerdict;
  /** The server's last liveness report: progress age, loop lag, in-flight requests, the oldest one's age. */
  readonly liveness: LivenessReport | null;
  /** When the liveness socket last answered, and how long the last probe took. */
  readonly lastAnswerAt: number | null;
  readonly livenessMs: number | null;
  /** Heartbeat failures through the port in a row: a service signal, no reason to kill a server that progresses. */
  readonly heartbeatFailures: number;
}

/** The cop's judgement of one slot's lock holder (a pool: one per held slot lock). */
export interface SlotLivenessView extends ServerLivenessView {
  readonly slot: number;
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
  /** The serving server's liveness as the cop judged it; null when no server holds server.lock. */
  readonly server: ServerLivenessView | null;
  /** Every slot lock holder's liveness as the cop judged it, by slot (slot 0's is `server` too). */
  readonly slots?: readonly SlotLivenessView[];
  /** A tier's lock held by something that is not a tier of this instance (PID and command): the cop starts nothing against it. */
  readonly foreignLock?: ForeignLock | null;
}

export interface ForeignLock {
  readonly tier: string;
  /** `PID 123 (its command line)`. */
  readonly holder: string;
  readonly since: number;
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
    server: null,
    slots: [],
    foreignLock: null,
  };
}

const readBeat = shape<Beat>({ ms: num, at: num });

const SERVER_VIEW_FIELDS = {
  pid: int,
  verdict: oneOf(SERVER_VERDICTS),
  liveness: nullable(readLivenessReport),
  lastAnswerAt: nullable(num),
  livenessMs: nullable(num),
  heartbeatFailures: int,
};

const readServerView = shape<ServerLivenessView>(SERVER_VIEW_FIELDS);

/** A slot's view is the server's view with the slot it serves. */
const readSlotView = shape<SlotLivenessView>({ slot: int, ...SERVER_VIEW_FIELDS });

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
  // Absent in a document written before liveness existed: read as null.
  server: (v, path) => (v === undefined || v === null ? null : readServerView(v, path)),
  // Absent in a document written before the pool's per-slot verdicts: read as none.
  slots: (v, path) => (v === undefined ? [] : list(readSlotView)(v, path)),
  // Absent from documents written before it existed.
  foreignLock: (v, path) => (v === undefined ? null : nullable(shape<ForeignLock>({ tier: str, holder: str, since: num }))(v, path)),
});

/** A cop status document, or ERR_WIRE_VERSION / ERR_WIRE_INVALID. */
export function parseCopStatus(value: unknown): Parsed<CopStatus> {
  return parseVersioned('cop status', value, COP_STATUS_VERSION, readStatus);
}
