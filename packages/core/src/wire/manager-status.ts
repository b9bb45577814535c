// The manager's status document: the control `status` result and status.json (written atomically by
// the manager, read by ctl, metrics, chaos and the bench, possibly while the manager is dead). One
// type for every reader; a reader of another `version` gets ERR_WIRE_VERSION, never a misread.
import { bool, int, list, literal, nullable, num, oneOf, parseVersioned, record, shape, str, type Parsed } from './check.js';

// 2: the server pool (size, phase, slots, rollingRestart, memoryReplacements, each server's slot).
export const MANAGER_STATUS_VERSION = 2;

export const SERVER_ROLES = ['standby', 'starting', 'serving', 'draining'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

/** A slot's named state (the manager's phases.ts says what each means and how it moves). */
export const SLOT_PHASES = ['stopped', 'stopping', 'starting', 'serving', 'replacing', 'backing-off', 'given-up'] as const;
export type SlotPhase = (typeof SLOT_PHASES)[number];
/** The pool's named state: `serving` when every slot serves, `degraded` when some do, `down` when none does. */
export const POOL_PHASES = ['stopped', 'stopping', 'starting', 'serving', 'degraded', 'down', 'given-up'] as const;
export type PoolPhase = (typeof POOL_PHASES)[number];

export interface ServerStatus {
  readonly pid: number | null;
  readonly role: ServerRole;
  /** The pool slot it serves, starts for or drains from; null for the standby. */
  readonly slot: number | null;
  readonly startedAt: number;
  readonly readyAt: number | null;
  readonly handover: boolean;
  /** A standby that has loaded the application and can take over at once. */
  readonly standbyReady: boolean;
}

export interface ServerExit {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: number;
  readonly requested: boolean;
}

export interface DrainReport {
  readonly pid: number;
  readonly outcome: 'success' | 'timeout';
  readonly openConnections: number;
  readonly ms: number;
  readonly at: number;
}

/** A time nothing served while the goal was `run`; `to` is null while it lasts. */
export interface Outage {
  readonly from: number;
  readonly to: number | null;
}

/** One listening socket and its accept queue. */
export interface ListenerStatus {
  readonly host: string;
  readonly port: number;
  /** Connections waiting for accept(); null when no LISTEN row exists (nobody listens yet). */
  readonly queued: number | null;
  /** The accept queue's limit: the configured backlog, capped by net.core.somaxconn. */
  readonly backlog: number;
}

/** One slot of the pool: its named state, its server and its own restart record. */
export interface SlotStatus {
  readonly slot: number;
  readonly phase: SlotPhase;
  /** The lock file its server holds, in the runtime directory (server.lock, server.1.lock, …). */
  readonly lock: string;
  /** The serving server's PID, or null. */
  readonly pid: number | null;
  readonly readyAt: number | null;
  readonly restarts: number;
  readonly consecutiveCrashes: number;
  readonly backoffUntil: number | null;
  readonly stayDown: string | null;
  readonly lastExit: ServerExit | null;
  /** Times a server of this slot was replaced for going over --max-memory. */
  readonly memoryReplacements: number;
}

export interface ManagerStatus {
  readonly version: typeof MANAGER_STATUS_VERSION;
  readonly manager: { readonly pid: number; readonly startedAt: number };
  readonly writtenAt: number;
  readonly goal: 'run' | 'stop';
  /** True when a server should be holding a slot lock right now (the cop checks this). */
  readonly serverExpected: boolean;
  /** The pool: its size, its named state, one row per slot. */
  readonly size: number;
  readonly phase: PoolPhase;
  readonly slots: readonly SlotStatus[];
  /** A rolling restart under way: the slots still to replace. */
  readonly rollingRestart: { readonly pending: readonly number[] } | null;
  readonly servers: readonly ServerStatus[];
  /** Crash restarts over every slot. */
  readonly restarts: number;
  /** The longest crash run of any slot. */
  readonly consecutiveCrashes: number;
  /** When nothing serves: the earliest end of a slot's backoff. */
  readonly backoffUntil: number | null;
  /** Why the manager gave up restarting the servers (every slot gave up), or null. */
  readonly stayDown: string | null;
  readonly lastExit: ServerExit | null;
  /** Server exits counted by cause: `requested`, `signal:SIGKILL`, `code:1`, `launch-timeout`, … */
  readonly exitsByCause: Readonly<Record<string, number>>;
  /** Servers replaced for going over --max-memory, over every slot. */
  readonly memoryReplacements: number;
  readonly lastDrain: DrainReport | null;
  readonly lastOutage: Outage | null;
  readonly listeners: readonly ListenerStatus[];
  readonly backlog: number;
}

/** "host:port" ("[v6]:port"), as logs, metrics labels and `--listen` spell a listener. */
export function listenerText(l: { readonly host: string; readonly port: number }): string {
  return `${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`;
}

const readServer = shape<ServerStatus>({ pid: nullable(int), role: oneOf(SERVER_ROLES), slot: nullable(int), startedAt: num, readyAt: nullable(num), handover: bool, standbyReady: bool });
const readExit = shape<ServerExit>({ pid: int, code: nullable(int), signal: nullable(str), at: num, requested: bool });
const readDrain = shape<DrainReport>({ pid: int, outcome: oneOf(['success', 'timeout']), openConnections: int, ms: num, at: num });
const readSlot = shape<SlotStatus>({
  slot: int, phase: oneOf(SLOT_PHASES), lock: str, pid: nullable(int), readyAt: nullable(num), restarts: int, consecutiveCrashes: int,
  backoffUntil: nullable(num), stayDown: nullable(str), lastExit: nullable(readExit), memoryReplacements: int,
});
const readListener = shape<ListenerStatus>({ host: str, port: int, queued: nullable(int), backlog: int });

const readStatus = shape<ManagerStatus>({
  version: literal(MANAGER_STATUS_VERSION),
  manager: shape({ pid: int, startedAt: num }),
  writtenAt: num,
  goal: oneOf(['run', 'stop']),
  serverExpected: bool,
  size: int,
  phase: oneOf(POOL_PHASES),
  slots: list(readSlot),
  rollingRestart: nullable(shape<{ pending: readonly number[] }>({ pending: list(int) })),
  servers: list(readServer),
  restarts: int,
  consecutiveCrashes: int,
  backoffUntil: nullable(num),
  stayDown: nullable(str),
  lastExit: nullable(readExit),
  exitsByCause: record(int),
  memoryReplacements: int,
  lastDrain: nullable(readDrain),
  lastOutage: nullable(shape<Outage>({ from: num, to: nullable(num) })),
  listeners: list(readListener),
  backlog: int,
});

/** A manager status document, or ERR_WIRE_VERSION / ERR_WIRE_INVALID. */
export function parseManagerStatus(value: unknown): Parsed<ManagerStatus> {
  return parseVersioned('manager status', value, MANAGER_STATUS_VERSION, readStatus);
}
