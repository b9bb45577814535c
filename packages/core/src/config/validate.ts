// Validation at the boundary: raw values (flags, environment, file) in, a frozen TripodConfig out.
// Every error names the field, the bad value and the rule.
import { resolve } from 'node:path';
import { TripodError } from '../errors.js';
import { LEVELS, type Level } from '../log/logger.js';
import { DEFAULT_RESTART_POLICY } from '../policy/restart-policy.js';
import { resolvePoolSize } from '../pool/slots.js';
import { DEFAULTS, type Listener, type TripodConfig } from './config.js';
import { CONFIG_KEYS, RESTART_KEYS, nearestKey } from './keys.js';
import { ExecParseError, parseExecArgv, parseReadyMode, parseStopSignal } from '../exec/exec-config.js';

/** A value as it appears in an error message: JSON, cut short. */
export function showValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  text ??= String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function invalid(field: string, value: unknown, rule: string): TripodError {
  return new TripodError('ERR_CONFIG_INVALID', `invalid ${field}: ${showValue(value)} (${rule})`, { details: { field, value, rule } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rule for a key nobody knows: say which known key it is probably meant to be. */
export function unknownKeyRule(key: string, known: readonly string[], spell: (k: string) => string = (k) => k): string {
  const near = nearestKey(key, known);
  return near === null ? `unknown key; known keys: ${known.map(spell).join(', ')}` : `unknown key; did you mean ${spell(near)}?`;
}

function rejectUnknownKeys(raw: Record<string, unknown>, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw invalid(prefix + key, raw[key], unknownKeyRule(key, known, (k) => prefix + k));
  }
}

function integer(raw: Record<string, unknown>, field: string, fallback: number, min: number, max: number, prefix = ''): number {
  const value = raw[field];
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw invalid(prefix + field, value, `must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** Parses `HOST:PORT`, `[V6]:PORT` or `PORT` (loopback). */
export function parseListen(text: string, field = 'listen'): Listener {
  const trimmed = text.trim();
  const match = /^\d+$/.test(trimmed) ? [trimmed, undefined, '127.0.0.1', trimmed] : /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d+)$/.exec(trimmed);
  if (!match) throw invalid(field, text, 'must be HOST:PORT, [IPV6]:PORT or PORT');
  const host = match[1] ?? match[2] ?? '127.0.0.1';
  const port = Number(match[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(field, text, 'port must be from 1 to 65535');
  return { host, port };
}

function listeners(value: unknown): Listener[] {
  if (value === undefined || value === null) return [...DEFAULTS.listen];
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return [...DEFAULTS.listen];
  const parsed = items.map((item) => {
    if (typeof item === 'string' || typeof item === 'number') return parseListen(String(item));
    if (isRecord(item) && 'port' in item) {
      const host = item.host ?? '127.0.0.1';
      if (typeof host !== 'string' || host === '') throw invalid('listen', item, 'host must be a non-empty string');
      return parseListen(`${host.includes(':') ? `[${host}]` : host}:${String((item as { port: unknown }).port)}`);
    }
    throw invalid('listen', item, 'must be HOST:PORT');
  });
  const seen = new Set<string>();
  for (const l of parsed) {
    const key = `${l.host}:${l.port}`;
    if (seen.has(key)) throw invalid('listen', key, 'each address may be listed once');
    seen.add(key);
  }
  return parsed;
}

/** An opt-in duration: absent, 0 or "off" is null (off). */
function optionalMs(raw: Record<string, unknown>, field: string, min: number, max: number): number | null {
  const value = raw[field];
  if (value === undefined || value === null || value === 0 || value === '0' || value === 'off' || value === '') return null;
  return integer(raw, field, 0, min, max);
}

function boolean(raw: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const value = raw[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(field, value, 'must be true or false');
}

function optionalPath(raw: Record<string, unknown>, field: string, base: string): string | null {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalid(field, value, 'must be a path');
  return resolve(base, value);
}

function account(raw: Record<string, unknown>, field: 'user' | 'group'): string | null {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/.test(value)) throw invalid(field, value, 'must be a name or a numeric id');
  return value;
}

function signalName(value: unknown): NodeJS.Signals | null {
  if (value === undefined || value === null || value === '' || value === 'none') return null;
  const allowed = ['SIGABRT', 'SIGQUIT', 'SIGSEGV', 'SIGBUS', 'SIGTRAP'];
  if (typeof value !== 'string' || !allowed.includes(value.toUpperCase())) {
    throw invalid('coreSignal', value, `must be one of ${allowed.join(', ')} or "none"`);
  }
  return value.toUpperCase() as NodeJS.Signals;
}

const MAX_SERVERS = 256;

function poolSize(value: unknown): number {
  if (value === undefined || value === null) return DEFAULTS.servers;
  if (value === 'auto') return resolvePoolSize('auto');
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_SERVERS) throw invalid('servers', value, `must be "auto" or a whole number from 1 to ${MAX_SERVERS}`);
  return n;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** Parses a memory size: bytes, or a number with K, M or G (binary units: 512M = 512 MiB); `none` or empty for no limit. */
export function parseSize(value: unknown, field = 'maxMemory'): number | null {
  if (value === undefined || value === null || value === '' || value === 'none' || value === 0) return null;
  const match = typeof value === 'number' ? [String(value), String(value), ''] : typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value) : null;
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw invalid(field, value, 'must be a size such as 512M, 1G or a number of bytes, or "none"');
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes < 1024 * 1024) throw invalid(field, value, 'must be at least 1M');
  return bytes;
}

/** Runs an exec-config parser, turning its rule into an error that names the field and value. */
function execField<T>(raw: Record<string, unknown>, field: string, parse: (value: unknown) => T): T {
  try {
    return parse(raw[field]);
  } catch (err) {
    if (err instanceof ExecParseError) throw invalid(field, raw[field], err.message);
    throw err;
  }
}

/** Builds the frozen configuration from raw values; relative paths resolve against `cwd`. */
export function validateConfig(raw: Record<string, unknown>, cwd: string = process.cwd()): TripodConfig {
  if (!isRecord(raw)) throw invalid('config', raw, 'must be an object of settings');
  rejectUnknownKeys(raw, CONFIG_KEYS);
  const runtimeDirRaw = raw.runtimeDir ?? '.tripod';
  if (typeof runtimeDirRaw !== 'string' || runtimeDirRaw === '') throw invalid('runtimeDir', runtimeDirRaw, 'must be a directory path');
  const runtimeDir = resolve(cwd, runtimeDirRaw);
  const logLevel = (raw.logLevel ?? DEFAULTS.logLevel) as Level;
  if (typeof logLevel !== 'string' || !LEVELS.includes(logLevel)) throw invalid('logLevel', raw.logLevel, `must be one of ${LEVELS.join(', ')}`);
  const checkIntervalMs = integer(raw, 'checkIntervalMs', DEFAULTS.checkIntervalMs, 50, 600_000);
  const probeTimeoutMs = integer(raw, 'probeTimeoutMs', DEFAULTS.probeTimeoutMs, 10, 600_000);
  if (raw.restart !== undefined && raw.restart !== null && !isRecord(raw.restart)) throw invalid('restart', raw.restart, 'must be an object');
  const restartRaw = isRecord(raw.restart) ? raw.restart : {};
  rejectUnknownKeys(restartRaw, RESTART_KEYS, 'restart.');
  const jitter = restartRaw.jitter ?? DEFAULT_RESTART_POLICY.jitter;
  if (typeof jitter !== 'number' || !Number.isFinite(jitter) || jitter < 0 || jitter > 1) throw invalid('restart.jitter', jitter, 'must be a number from 0 to 1');
  const config: TripodConfig = {
    runtimeDir,
    logDir: optionalPath(raw, 'logDir', cwd) ?? resolve(runtimeDir, 'logs'),
    logLevel,
    listen: listeners(raw.listen),
    app: optionalPath(raw, 'app', cwd),
    staticDir: optionalPath(raw, 'staticDir', cwd),
    backlog: integer(raw, 'backlog', DEFAULTS.backlog, 1, 65_535),
    standby: boolean(raw, 'standby', DEFAULTS.standby),
    servers: poolSize(raw.servers),
    restartBatch: integer(raw, 'restartBatch', DEFAULTS.restartBatch, 1, MAX_SERVERS),
    minUptimeMs: integer(raw, 'minUptimeMs', DEFAULTS.minUptimeMs, 0, 3_600_000),
    maxMemory: parseSize(raw.maxMemory),
    memoryWindowMs: integer(raw, 'memoryWindowMs', DEFAULTS.memoryWindowMs, 0, 3_600_000),
    checkIntervalMs,
    probeTimeoutMs,
    probeFailures: integer(raw, 'probeFailures', DEFAULTS.probeFailures, 1, 100),
    hangAfterMs: integer(raw, 'hangAfterMs', DEFAULTS.hangAfterMs, 100, 600_000),
    killOnSlowMs: optionalMs(raw, 'killOnSlowMs', 100, 3_600_000),
    stallKillMs: optionalMs(raw, 'stallKillMs', 100, 86_400_000),
    startGraceMs: integer(raw, 'startGraceMs', DEFAULTS.startGraceMs, 0, 600_000),
    launchTimeoutMs: integer(raw, 'launchTimeoutMs', DEFAULTS.launchTimeoutMs, 100, 600_000),
    drainTimeoutMs: integer(raw, 'drainTimeoutMs', DEFAULTS.drainTimeoutMs, 0, 3_600_000),
    killGraceMs: integer(raw, 'killGraceMs', DEFAULTS.killGraceMs, 10, 600_000),
    coreSignal: signalName(raw.coreSignal),
    stallLimitMs: integer(raw, 'stallLimitMs', DEFAULTS.stallLimitMs, 1000, 3_600_000),
    allowInsecureDirs: boolean(raw, 'allowInsecureDirs', false),
    user: account(raw, 'user'),
    group: account(raw, 'group'),
    restart: Object.freeze({
      baseDelayMs: integer(restartRaw, 'baseDelayMs', DEFAULT_RESTART_POLICY.baseDelayMs, 0, 3_600_000, 'restart.'),
      maxDelayMs: integer(restartRaw, 'maxDelayMs', DEFAULT_RESTART_POLICY.maxDelayMs, 0, 3_600_000, 'restart.'),
      jitter,
      healthyAfterMs: integer(restartRaw, 'healthyAfterMs', DEFAULT_RESTART_POLICY.healthyAfterMs, 0, 86_400_000, 'restart.'),
      noRestartCode: integer(restartRaw, 'noRestartCode', DEFAULT_RESTART_POLICY.noRestartCode, 1, 255, 'restart.'),
    }),
    exec: execField(raw, 'exec', parseExecArgv),
    execCwd: optionalPath(raw, 'execCwd', cwd) ?? resolve(cwd),
    ready: execField(raw, 'ready', parseReadyMode),
    stopSignal: execField(raw, 'stopSignal', parseStopSignal),
    execWatchdogMs: integer(raw, 'execWatchdogMs', 0, 0, 3_600_000),
  };
  if (config.group !== null && config.user === null) throw invalid('group', config.group, 'needs user');
  if (config.restart.maxDelayMs < config.restart.baseDelayMs) {
    throw invalid('restart.maxDelayMs', config.restart.maxDelayMs, `must be at least restart.baseDelayMs (${config.restart.baseDelayMs})`);
  }
  if (config.exec !== null && config.app !== null) throw invalid('app', raw.app, 'exec mode runs a program, not a Node application: give exec or app, not both');
  if (config.exec !== null && config.staticDir !== null) throw invalid('staticDir', raw.staticDir, 'belongs to the built-in Node application, which exec mode does not run');
  if (config.execWatchdogMs > 0 && config.execWatchdogMs < 100) throw invalid('execWatchdogMs', config.execWatchdogMs, 'must be 0 (off) or at least 100');
  if (config.probeTimeoutMs > checkIntervalMs * 10) {
    throw invalid('probeTimeoutMs', config.probeTimeoutMs, `must be at most 10 × checkIntervalMs (${checkIntervalMs * 10})`);
  }
  return Object.freeze({ ...config, listen: Object.freeze(config.listen.map((l) => Object.freeze({ ...l }))) });
}
