// The configuration flags every tier understands, as plain yargs option definitions (no yargs import
// here), and the step from parsed flags to the raw record validateConfig takes.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { TripodError } from '../errors.js';
import type { TripodConfig } from './config.js';
import { NON_CONFIG_ENV } from './keys.js';
import { invalid, unknownKeyRule, validateConfig } from './validate.js';

type OptionType = 'string' | 'number' | 'array' | 'boolean';
interface OptionSpec {
  readonly type: OptionType;
  readonly describe: string;
  readonly alias?: string;
}

/** Flag name → config field. The order of precedence is: config file, then TRIPOD_* environment, then flags. */
export const CONFIG_FLAGS: Readonly<Record<string, OptionSpec & { field: string }>> = {
  'runtime-dir': { field: 'runtimeDir', type: 'string', describe: 'runtime directory for locks, control socket, status and logs (default .tripod)' },
  'log-dir': { field: 'logDir', type: 'string', describe: 'directory for JSON-lines logs (default <runtime-dir>/logs)' },
  'log-level': { field: 'logLevel', type: 'string', describe: 'error, warn, info or debug' },
  listen: { field: 'listen', type: 'array', describe: 'HOST:PORT to serve on (repeatable; default 127.0.0.1:8080)' },
  app: { field: 'app', type: 'string', describe: 'module exporting the request handler (default: the built-in application)' },
  'static-dir': { field: 'staticDir', type: 'string', describe: 'directory the built-in application serves files from' },
  backlog: { field: 'backlog', type: 'number', describe: 'accept-queue length of each listener' },
  standby: { field: 'standby', type: 'boolean', describe: 'keep a warm standby server that replaces a dead one at once (--no-standby to save its memory)' },
  servers: { field: 'servers', type: 'string', describe: 'servers in the pool, all on the same sockets: a number or auto (one per core); default 1' },
  'restart-batch': { field: 'restartBatch', type: 'number', describe: 'servers a rolling restart replaces at a time (default 1)' },
  'min-uptime-ms': { field: 'minUptimeMs', type: 'number', describe: 'a server dying sooner after it became ready counts toward a crash loop (default 1000)' },
  'max-memory': { field: 'maxMemory', type: 'string', describe: 'RSS per server (512M, 1G) over which it is replaced gracefully; default none' },
  'memory-window-ms': { field: 'memoryWindowMs', type: 'number', describe: 'how long RSS must stay over --max-memory (default 3000)' },
  'check-interval-ms': { field: 'checkIntervalMs', type: 'number', describe: "the cop's check period" },
  'probe-timeout-ms': { field: 'probeTimeoutMs', type: 'number', describe: 'deadline of one heartbeat probe' },
  'probe-failures': { field: 'probeFailures', type: 'number', describe: 'consecutive probe failures that mean wedged' },
  'hang-after-ms': { field: 'hangAfterMs', type: 'number', describe: 'a server making no progress this long is wedged and replaced (a slow server is never killed by default)' },
  'kill-on-slow-ms': { field: 'killOnSlowMs', type: 'number', describe: 'opt-in: also kill a server whose heartbeat through the port fails this long (0: off; risky under overload)' },
  'stall-kill-ms': { field: 'stallKillMs', type: 'number', describe: 'opt-in: kill a server whose in-flight requests all stay unfinished this long (0: off)' },
  'start-grace-ms': { field: 'startGraceMs', type: 'number', describe: 'time a fresh tier gets before its probes can fail' },
  'launch-timeout-ms': { field: 'launchTimeoutMs', type: 'number', describe: 'a server not ready within this is killed' },
  'drain-timeout-ms': { field: 'drainTimeoutMs', type: 'number', describe: 'longest a draining server may take' },
  'kill-grace-ms': { field: 'killGraceMs', type: 'number', describe: 'wait after SIGTERM before SIGKILL' },
  'core-signal': { field: 'coreSignal', type: 'string', describe: 'signal sent first to a wedged tier (SIGABRT, SIGQUIT, …) or none' },
  exec: { field: 'exec', type: 'string', describe: 'exec mode: the program and its arguments as a JSON array (on the command line, everything after --)' },
  'exec-cwd': { field: 'execCwd', type: 'string', describe: 'exec mode: the program\'s working directory (default: where tripod was started)' },
  ready: { field: 'ready', type: 'string', describe: 'exec mode: notify (READY=1, the default), tcp, or http:/PATH' },
  'stop-signal': { field: 'stopSignal', type: 'string', describe: 'exec mode: signal that makes the program drain (default SIGTERM)' },
  'exec-watchdog-ms': { field: 'execWatchdogMs', type: 'number', describe: 'exec mode: WATCHDOG_USEC for the program, which must send WATCHDOG=1 (0: off)' },
  'stall-limit-ms': { field: 'stallLimitMs', type: 'number', describe: 'the cop aborts when one check cycle takes longer' },
  user: { field: 'user', type: 'string', describe: 'started as root: run the manager and the server as this user (the cop keeps root to bind and supervise)' },
  group: { field: 'group', type: 'string', describe: "with --user: the group (default: the user's primary group)" },
  'allow-insecure-dirs': { field: 'allowInsecureDirs', type: 'boolean', describe: 'accept a runtime or log directory owned by another user or writable by others (see docs/security.md)' },
};

/** The raw config record from a JSON config file (missing file is an error naming it). */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TripodError('ERR_CONFIG_INVALID', `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`, { cause: err });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('top level must be an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new TripodError('ERR_CONFIG_INVALID', `config file ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Fields that name paths. */
export const PATH_FIELDS = ['runtimeDir', 'logDir', 'app', 'staticDir'] as const;

/** Relative paths in a config file are relative to the file, wherever the tier that reads it runs. */
export function resolveFilePaths(raw: Record<string, unknown>, fileDir: string): Record<string, unknown> {
  const out = { ...raw };
  for (const field of PATH_FIELDS) {
    const value = out[field];
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) out[field] = resolve(fileDir, value);
  }
  return out;
}

/** Config from parsed flags: `--config-json` (what a parent tier hands down, already validated) wins; else file, then TRIPOD_* environment, then flags. */
export function configFromArgv(argv: Record<string, unknown>, cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): TripodConfig {
  if (typeof argv.configJson === 'string') {
    let handed: unknown;
    try {
      handed = JSON.parse(argv.configJson);
    } catch {
      throw invalid('--config-json', argv.configJson, 'must be JSON');
    }
    return validateConfig(handed as Record<string, unknown>, cwd);
  }
  const file = typeof argv.config === 'string' ? argv.config : env.TRIPOD_CONFIG;
  const raw: Record<string, unknown> = file ? resolveFilePaths(readConfigFile(resolve(cwd, file)), dirname(resolve(cwd, file))) : {};
  Object.assign(raw, configFromEnv(env));
  for (const [flag, spec] of Object.entries(CONFIG_FLAGS)) {
    const value = argv[flag];
    if (value === undefined) continue;
    // A flag given twice: the last one wins (only --listen collects every value).
    raw[spec.field] = Array.isArray(value) && spec.type !== 'array' ? value[value.length - 1] : value;
  }
  // yargs' populate--: everything after `--` is the program's argv (exec mode), never parsed as flags.
  const rest = argv['--'];
  if (Array.isArray(rest) && rest.length > 0) raw.exec = rest.map(String);
  return validateConfig(raw, cwd);
}

/** The environment variable for a flag: `--drain-timeout-ms` → `TRIPOD_DRAIN_TIMEOUT_MS`. */
export function envNameFor(flag: string): string {
  return `TRIPOD_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/** Raw config values from `TRIPOD_*` variables; `TRIPOD_LISTEN` takes a comma-separated list. An unknown `TRIPOD_*` variable is an error. */
export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const known = [...Object.keys(CONFIG_FLAGS).map(envNameFor), ...NON_CONFIG_ENV];
  for (const name of Object.keys(env)) {
    if (name.startsWith('TRIPOD_') && !known.includes(name)) throw invalid(name, env[name], unknownKeyRule(name, known));
  }
  for (const [flag, spec] of Object.entries(CONFIG_FLAGS)) {
    const value = env[envNameFor(flag)];
    if (value === undefined || value === '') continue;
    raw[spec.field] = spec.type === 'array' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value;
  }
  return raw;
}

/** Options for yargs: the config flags, plus `--config FILE` and the internal `--config-json`. */
export function yargsConfigOptions(): Record<string, { type: OptionType; describe: string; hidden?: boolean }> {
  const options: Record<string, { type: OptionType; describe: string; hidden?: boolean }> = {
    config: { type: 'string', describe: 'JSON configuration file' },
    'config-json': { type: 'string', describe: 'resolved configuration handed down by the parent tier', hidden: true },
  };
  for (const [flag, spec] of Object.entries(CONFIG_FLAGS)) options[flag] = { type: spec.type, describe: spec.describe };
  return options;
}
