// The validated configuration every tier runs on: one frozen object, built at the boundary.
import type { Level } from '../log/logger.js';
import type { RestartPolicy } from '../policy/restart-policy.js';
import type { ReadyMode } from '../exec/exec-config.js';

export interface Listener {
  readonly host: string;
  readonly port: number;
}

export interface TripodConfig {
  readonly runtimeDir: string;
  /** Where the JSON-lines logs go; default `<runtimeDir>/logs`. */
  readonly logDir: string;
  readonly logLevel: Level;
  readonly listen: readonly Listener[];
  /** Path of the user's application module; null runs the built-in application. */
  readonly app: string | null;
  /** Directory the built-in application serves static files from; null for none. */
  readonly staticDir: string | null;
  /** Accept-queue length for each listener (positional `listen` backlog). */
  readonly backlog: number;
  /** Keep a warm standby server (application loaded, not listening) to replace a dead one at once. */
  readonly standby: boolean;
  /** Servers in the pool, all listening on the same sockets (`auto` resolves to the available cores). */
  readonly servers: number;
  /** Servers a rolling restart replaces at a time. */
  readonly restartBatch: number;
  /** A server that dies sooner than this after it became ready counts toward a crash loop (PM2's min_uptime). */
  readonly minUptimeMs: number;
  /** RSS in bytes over which a server is replaced gracefully; null for no limit. */
  readonly maxMemory: number | null;
  /** How long a server's RSS must stay over maxMemory before it is replaced. */
  readonly memoryWindowMs: number;
  /** The cop's check period. */
  readonly checkIntervalMs: number;
  /** Deadline of one heartbeat probe. */
  readonly probeTimeoutMs: number;
  /** Consecutive probe failures that mean "wedged". */
  readonly probeFailures: number;
  /** A server whose main thread makes no progress (or whose liveness socket is silent) this long is wedged. */
  readonly hangAfterMs: number;
  /** Opt-in latency SLO: kill a server whose heartbeat through the port fails this long, even if it progresses. Null: never. */
  readonly killOnSlowMs: number | null;
  /** Opt-in: kill a server whose requests stay in flight with none completing this long. Null: never. */
  readonly stallKillMs: number | null;
  /** A freshly started tier is not probed for failure during this time. */
  readonly startGraceMs: number;
  /** A server that has not reported ready within this time is killed. */
  readonly launchTimeoutMs: number;
  /** How long a draining server may take to finish its connections. */
  readonly drainTimeoutMs: number;
  /** After SIGTERM (and the core signal), how long before SIGKILL. */
  readonly killGraceMs: number;
  /** Signal sent first to a wedged process so it dumps core; null for none. */
  readonly coreSignal: NodeJS.Signals | null;
  /** The cop aborts if one of its check cycles takes longer than this. */
  readonly stallLimitMs: number;
  /** Accept a runtime or log directory owned by another user or writable by others (see docs/security.md). */
  readonly allowInsecureDirs: boolean;
  /** Started as root: the user (name or uid) the manager and the server run as; null runs them as the cop's user. */
  readonly user: string | null;
  /** The group for `user` (name or gid); null: the user's primary group. */
  readonly group: string | null;
  readonly restart: RestartPolicy;
  /** Exec mode: the argv of a foreign program the server tier keeps (socket activation, sd_notify); null runs the Node host. */
  readonly exec: readonly string[] | null;
  /** Exec mode: the program's working directory (default: the directory tripod was started from). */
  readonly execCwd: string;
  /** Exec mode: how the program's readiness is known (default `notify`: it sends READY=1). */
  readonly ready: ReadyMode;
  /** Exec mode: the signal that makes the program drain; SIGKILL of its group follows after the drain timeout. */
  readonly stopSignal: NodeJS.Signals;
  /** Exec mode: WATCHDOG_USEC for the program, which must then send WATCHDOG=1 this often; 0 for none. */
  readonly execWatchdogMs: number;
}

/** Defaults; every timing is configurable. */
export const DEFAULTS = Object.freeze({
  logLevel: 'info' as Level,
  listen: [{ host: '127.0.0.1', port: 8080 }] as readonly Listener[],
  backlog: 511,
  standby: true,
  servers: 1,
  restartBatch: 1,
  minUptimeMs: 1000,
  memoryWindowMs: 3000,
  checkIntervalMs: 1000,
  probeTimeoutMs: 1000,
  probeFailures: 2,
  hangAfterMs: 2000,
  killOnSlowMs: null,
  stallKillMs: null,
  startGraceMs: 5000,
  launchTimeoutMs: 10_000,
  drainTimeoutMs: 10_000,
  killGraceMs: 1500,
  coreSignal: null,
  stallLimitMs: 15_000,
});
