// tripod-chaos's command line: the yargs definitions and the validation of what they parsed into one
// frozen ChaosOptions. Every error names the flag, the bad value and the rule (exit code 2).
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_RESTART_POLICY, TripodError } from '@tripod/core';
import { DEFAULT_FAULT_KINDS, FAULT_KINDS, FAULT_TIERS, faultCombos, type FaultCombo, type FaultKind, type FaultTier } from '../faults/fault.js';

export interface ChaosOptions {
  readonly durationMs: number;
  readonly seed: number;
  /** Faults per minute. */
  readonly ratePerMinute: number;
  readonly outDir: string;
  readonly app: string | null;
  /** Exec mode: the program (argv after `--`) the server tier keeps instead of a Node application, and its working directory. */
  readonly exec: readonly string[] | null;
  readonly execCwd: string;
  /** Attach to (or start in) this runtime directory instead of a fresh temporary one. */
  readonly runtimeDir: string | null;
  readonly host: string;
  readonly port: number | null;
  readonly path: string;
  /** An overload fault's burst: its path and its keep-alive clients. */
  readonly overloadPath: string;
  readonly overloadClients: number;
  readonly concurrency: number;
  /** Share of the clients that keep one connection alive (the rest open one per request). */
  readonly keepAliveShare: number;
  /** Requests per second over all clients; 0 sends back to back. */
  readonly requestRate: number;
  readonly requestTimeoutMs: number;
  readonly maxRequests: number;
  readonly tiers: readonly FaultTier[];
  readonly kinds: readonly FaultKind[];
  readonly plannedStops: boolean;
  /** Hold the listening socket as systemd's tripod.socket does and pass it to each cop (LISTEN_FDS). */
  readonly socketActivation: boolean;
  readonly combos: readonly FaultCombo[];
  readonly restartMs: number;
  /** The service must be back within this after a fault (after the hold, for SIGSTOP). */
  readonly recoveryBoundMs: number;
  /** Every tier must be back within this (covers the tiers' restart backoff). */
  readonly repairBoundMs: number;
  readonly holdMinMs: number;
  readonly holdMaxMs: number;
  readonly warmupMs: number;
  readonly cooldownMs: number;
  readonly sampleMs: number;
  readonly copArgs: readonly string[];
  /** Servers in the instance's pool (--servers); server faults hit a random slot. */
  readonly servers: number;
  readonly keepRunning: boolean;
  readonly progressMs: number;
  readonly quiet: boolean;
}

type Spec = { type: 'string' | 'number' | 'boolean'; describe: string; default?: unknown; hidden?: boolean };

/** The flags, for yargs. Lists take commas or repetition. */
export const CHAOS_FLAGS: Readonly<Record<string, Spec>> = {
  duration: { type: 'number', describe: 'seconds of load and faults after the first server is ready', default: 30 },
  seed: { type: 'number', describe: 'seed of the fault schedule (default: random, printed); the same seed replays the same schedule' },
  rate: { type: 'number', describe: 'faults per minute on average (0: load only)', default: 20 },
  out: { type: 'string', describe: 'directory for report.json and report.html', default: 'reports/chaos' },
  app: { type: 'string', describe: 'application module under test, passed to the cop (default: the built-in application)' },
  'runtime-dir': { type: 'string', describe: 'runtime directory to attach to (a running instance) or start in (default: a fresh temporary one)' },
  host: { type: 'string', describe: 'loopback address to serve on and load', default: '127.0.0.1' },
  port: { type: 'number', describe: 'port to serve on (default: a free one; attached: read from status.json)' },
  path: { type: 'string', describe: 'request path the load asks for', default: '/' },
  concurrency: { type: 'number', describe: 'concurrent clients', default: 8 },
  'keepalive-share': { type: 'number', describe: 'share of clients using keep-alive connections, 0 to 1', default: 0.5 },
  'request-rate': { type: 'number', describe: 'requests per second over all clients (0: back to back)', default: 200 },
  'request-timeout-ms': { type: 'number', describe: 'a request without an answer this long counts as a timeout', default: 10_000 },
  'max-requests': { type: 'number', describe: 'stop the load after this many requests', default: 5_000_000 },
  tiers: { type: 'string', describe: `tiers to hit: ${FAULT_TIERS.join(', ')}`, default: FAULT_TIERS.join(',') },
  faults: { type: 'string', describe: `fault kinds: ${FAULT_KINDS.join(', ')} (overload: a burst of --overload-clients keep-alive clients on --overload-path for the hold time, to the server only)`, default: DEFAULT_FAULT_KINDS.join(',') },
  'overload-path': { type: 'string', describe: 'path the overload burst requests (point it at an expensive one)', default: '/' },
  'overload-clients': { type: 'number', describe: 'keep-alive clients of an overload burst', default: 64 },
  'planned-stops': { type: 'boolean', describe: 'also send SIGTERM to the cop (a planned stop: refused connections are allowed until it is back)', default: false },
  'socket-activation': { type: 'boolean', describe: "hold the listening socket as systemd's tripod.socket does and pass it to every cop; --no-socket-activation lets the cop bind it (then a restarted cop that adopted its manager holds no socket)", default: true },
  'restart-sec': { type: 'number', describe: "the harness restarts a dead cop after this many seconds (systemd's RestartSec)", default: 1 },
  'recovery-sec': { type: 'number', describe: 'bound within which a server must answer the heartbeat again after a fault (after the hold for SIGSTOP)', default: 10 },
  'repair-sec': { type: 'number', describe: `bound within which every tier must be back after a fault (default: --recovery-sec + the tiers' restart backoff cap, ${DEFAULT_RESTART_POLICY.maxDelayMs / 1000} s, + 5 s)` },
  'hold-min-ms': { type: 'number', describe: 'shortest SIGSTOP hold before SIGCONT', default: 500 },
  'hold-max-ms': { type: 'number', describe: 'longest SIGSTOP hold before SIGCONT', default: 4000 },
  'warmup-sec': { type: 'number', describe: 'no fault before this many seconds of load', default: 2 },
  'cooldown-sec': { type: 'number', describe: 'no fault scheduled in the last this-many seconds', default: 3 },
  'sample-ms': { type: 'number', describe: 'period of the invariant samples (a /proc scan every fourth)', default: 250 },
  servers: { type: 'number', describe: 'servers in the pool under test (tripod --servers); each server fault hits a random slot and every slot must come back', default: 1 },
  'cop-arg': { type: 'string', describe: 'extra argument for the cop, repeatable; use --cop-arg=--flag for flags' },
  'keep-running': { type: 'boolean', describe: 'leave the instance running at the end (skips the after-stop checks)', default: false },
  'progress-sec': { type: 'number', describe: 'seconds between progress lines', default: 5 },
  quiet: { type: 'boolean', describe: 'no progress lines, only the summary', default: false },
};

function invalid(flag: string, value: unknown, rule: string): TripodError {
  return new TripodError('ERR_CONFIG_INVALID', `invalid --${flag}: ${JSON.stringify(value)} (${rule})`, { details: { field: flag, value, rule } });
}

function num(raw: Record<string, unknown>, flag: string, min: number, max: number, integer = false): number {
  const value = raw[flag] ?? CHAOS_FLAGS[flag]?.default;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw invalid(flag, value, `must be a${integer ? ' whole' : ''} number from ${min} to ${max}`);
  }
  return value;
}

/** A comma-separated or repeated list flag, as strings. */
function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

function parseTiers(value: unknown): FaultTier[] {
  const tiers = list(value).map((t) => {
    if (!(FAULT_TIERS as readonly string[]).includes(t)) throw invalid('tiers', t, `must be one of ${FAULT_TIERS.join(', ')}`);
    return t as FaultTier;
  });
  return [...new Set(tiers)];
}

function parseKinds(value: unknown): FaultKind[] {
  const kinds = list(value).map((k) => {
    const name = k.toLowerCase() === 'overload' ? 'overload' : k.toUpperCase().startsWith('SIG') ? k.toUpperCase() : `SIG${k.toUpperCase()}`;
    if (!(FAULT_KINDS as readonly string[]).includes(name)) throw invalid('faults', k, `must be one of ${FAULT_KINDS.join(', ')}`);
    return name as FaultKind;
  });
  return [...new Set(kinds)];
}

/** --cop-arg values as given (never split on commas: a cop argument may contain one). */
function copArgs(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.map(String).filter((a) => a !== '');
}

/** True for 127.0.0.0/8 and ::1: the harness never sends load anywhere else. */
export function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Validates parsed flags into ChaosOptions; `randomSeed` is used when --seed is absent. */
export function validateOptions(raw: Record<string, unknown>, randomSeed: number, cwd: string = process.cwd()): ChaosOptions {
  const host = String(raw.host ?? CHAOS_FLAGS.host!.default);
  if (!isLoopback(host)) throw invalid('host', host, 'must be a loopback address (127.0.0.0/8 or ::1)');
  const tiers = parseTiers(raw.tiers ?? CHAOS_FLAGS.tiers!.default);
  const kinds = parseKinds(raw.faults ?? CHAOS_FLAGS.faults!.default);
  const plannedStops = Boolean(raw['planned-stops'] ?? false);
  const ratePerMinute = num(raw, 'rate', 0, 600);
  const combos = faultCombos(tiers, kinds, plannedStops);
  if (ratePerMinute > 0 && combos.length === 0) {
    throw invalid('faults', list(raw.faults ?? CHAOS_FLAGS.faults!.default).join(','), `no fault left for tiers ${tiers.join(',')}: SIGUSR1 goes to the cop only, SIGTERM to the cop needs --planned-stops`);
  }
  const seedRaw = raw.seed;
  if (seedRaw !== undefined && (typeof seedRaw !== 'number' || !Number.isInteger(seedRaw) || seedRaw < 0 || seedRaw > 0xffffffff)) {
    throw invalid('seed', seedRaw, 'must be a whole number from 0 to 4294967295');
  }
  const holdMinMs = num(raw, 'hold-min-ms', 0, 600_000, true);
  const holdMaxMs = num(raw, 'hold-max-ms', 0, 600_000, true);
  if (holdMaxMs < holdMinMs) throw invalid('hold-max-ms', holdMaxMs, `must be at least --hold-min-ms (${holdMinMs})`);
  const portRaw = raw.port;
  if (portRaw !== undefined && (typeof portRaw !== 'number' || !Number.isInteger(portRaw) || portRaw < 1 || portRaw > 65535)) throw invalid('port', portRaw, 'must be from 1 to 65535');
  const recoveryBoundMs = Math.round(num(raw, 'recovery-sec', 0.1, 3600) * 1000);
  const repairBoundMs = raw['repair-sec'] === undefined ? recoveryBoundMs + DEFAULT_RESTART_POLICY.maxDelayMs + 5000 : Math.round(num(raw, 'repair-sec', 0.1, 3600) * 1000);
  if (repairBoundMs < recoveryBoundMs) throw invalid('repair-sec', raw['repair-sec'], `must be at least --recovery-sec (${recoveryBoundMs / 1000})`);
  const path = String(raw.path ?? '/');
  if (!path.startsWith('/')) throw invalid('path', path, 'must start with /');
  const overloadPath = String(raw['overload-path'] ?? '/');
  if (!overloadPath.startsWith('/')) throw invalid('overload-path', overloadPath, 'must start with /');
  const rest = raw['--'];
  const exec = Array.isArray(rest) && rest.length > 0 ? rest.map(String) : null;
  if (exec !== null && typeof raw.app === 'string') throw invalid('app', raw.app, 'exec mode (a program after --) runs no Node application');
  const optionalPath = (flag: string) => (typeof raw[flag] === 'string' && raw[flag] !== '' ? resolve(cwd, raw[flag] as string) : null);
  return Object.freeze({
    durationMs: Math.round(num(raw, 'duration', 1, 86_400) * 1000),
    seed: seedRaw === undefined ? randomSeed >>> 0 : (seedRaw as number),
    ratePerMinute,
    outDir: resolve(cwd, String(raw.out ?? CHAOS_FLAGS.out!.default)),
    app: optionalPath('app'),
    exec: exec === null ? null : Object.freeze(exec),
    execCwd: cwd,
    runtimeDir: optionalPath('runtime-dir'),
    host,
    port: (portRaw as number | undefined) ?? null,
    path,
    overloadPath,
    overloadClients: num(raw, 'overload-clients', 1, 1024, true),
    concurrency: num(raw, 'concurrency', 1, 256, true),
    keepAliveShare: num(raw, 'keepalive-share', 0, 1),
    requestRate: num(raw, 'request-rate', 0, 100_000),
    requestTimeoutMs: num(raw, 'request-timeout-ms', 100, 600_000, true),
    maxRequests: num(raw, 'max-requests', 1, 1e9, true),
    tiers,
    kinds,
    plannedStops,
    socketActivation: raw['socket-activation'] === undefined ? true : Boolean(raw['socket-activation']),
    combos,
    restartMs: Math.round(num(raw, 'restart-sec', 0, 600) * 1000),
    recoveryBoundMs,
    repairBoundMs,
    holdMinMs,
    holdMaxMs,
    warmupMs: Math.round(num(raw, 'warmup-sec', 0, 3600) * 1000),
    cooldownMs: Math.round(num(raw, 'cooldown-sec', 0, 3600) * 1000),
    sampleMs: num(raw, 'sample-ms', 20, 10_000, true),
    copArgs: copArgs(raw['cop-arg']),
    servers: num(raw, 'servers', 1, 256, true),
    keepRunning: Boolean(raw['keep-running'] ?? false),
    progressMs: Math.round(num(raw, 'progress-sec', 0.5, 3600) * 1000),
    quiet: Boolean(raw.quiet ?? false),
  });
}
