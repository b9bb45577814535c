// The manager's status document: the control `status` result and status.json (written atomically by
// the manager, read by ctl, metrics, chaos and the bench, possibly while the manager is dead). One
// type for every reader; a reader of another `version` gets ERR_WIRE_VERSION, never a misread.
import { bool, int, list, literal, nullable, num, oneOf, parseVersioned, record, shape, str, type Parsed } from './check.js';

export const MANAGER_STATUS_VERSION = 1;

export const SERVER_ROLES = ['standby', 'starting', 'serving', 'draining'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

export interface ServerStatus {
  readonly pid: number | null;
  readonly role: ServerRole;
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

export interface ManagerStatus {
  readonly version: typeof MANAGER_STATUS_VERSION;
  readonly manager: { readonly pid: number; readonly startedAt: number };
  readonly writtenAt: number;
  readonly goal: 'run' | 'stop';
  /** True when a server should be holding server.lock right now (the cop checks this). */
  readonly serverExpected: boolean;
  readonly servers: readonly ServerStatus[];
  readonly restarts: number;
  readonly consecutiveCrashes: number;
  readonly backoffUntil: number | null;
  /** Why the manager gave up restarting the server, or null. */
  readonly stayDown: string | null;
  readonly lastExit: ServerExit | null;
  /** Server exits counted by cause: `requested`, `signal:SIGKILL`, `code:1`, `launch-timeout`, … */
  readonly exitsByCause: Readonly<Record<string, number>>;
  readonly lastDrain: DrainReport | null;
  readonly lastOutage: Outage | null;
  readonly listeners: readonly ListenerStatus[];
  readonly backlog: number;
}

/** "host:port" ("[v6]:port"), as logs, metrics labels and `--listen` spell a listener. */
export function listenerText(l: { readonly host: string; readonly port: number }): string {
  return `${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`;
}

const readServer = shape<ServerStatus>({ pid: nullable(int), role: oneOf(SERVER_ROLES), startedAt: num, readyAt: nullable(num), handover: bool, standbyReady: bool });
const readExit = shape<ServerExit>({ pid: int, code: nullable(int), signal: nullable(str), at: num, requested: bool });
const readDrain = shape<DrainReport>({ pid: int, outcome: oneOf(['success', 'timeout']), openConnections: int, ms: num, at: num });
const readListener = shape<ListenerStatus>({ host: str, port: int, queued: nullable(int), backlog: int });

const readStatus = shape<ManagerStatus>({
  version: literal(MANAGER_STATUS_VERSION),
  manager: shape({ pid: int, startedAt: num }),
  writtenAt: num,
  goal: oneOf(['run', 'stop']),
  serverExpected: bool,
  servers: list(readServer),
  restarts: int,
  consecutiveCrashes: int,
  backoffUntil: nullable(num),
  stayDown: nullable(str),
  lastExit: nullable(readExit),
  exitsByCause: record(int),
  lastDrain: nullable(readDrain),
  lastOutage: nullable(shape<Outage>({ from: num, to: nullable(num) })),
  listeners: list(readListener),
  backlog: int,
});

/** A manager status document, or ERR_WIRE_VERSION / ERR_WIRE_INVALID. */
export function parseManagerStatus(value: unknown): Parsed<ManagerStatus> {
  return parseVersioned('manager status', value, MANAGER_STATUS_VERSION, readStatus);
}
