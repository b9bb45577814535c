// The configuration flags every tier understands, as plain yargs option definitions (no yargs import
// here), and the step from parsed flags to the raw record validateConfig takes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TripodError } from '../errors.js';
import type { TripodConfig } from './config.js';
import { validateConfig } from './validate.js';

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
  'check-interval-ms': { field: 'checkIntervalMs', type: 'number', describe: "the cop's check period" },
  'probe-timeout-ms': { field: 'probeTimeoutMs', type: 'number', describe: 'deadline of one heartbeat probe' },
  'probe-failures': { field: 'probeFailures', type: 'number', describe: 'consecutive probe failures that mean wedged' },
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

/** Config from parsed flags: `--config-json` (what a parent tier hands down, already validated) wins; else file, then TRIPOD_* environment, then flags. */
export function configFromArgv(argv: Record<string, unknown>, cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): TripodConfig {
  if (typeof argv.configJson === 'string') {
    return validateConfig(JSON.parse(argv.configJson) as Record<string, unknown>, cwd);
  }
  const file = typeof argv.config === 'string' ? argv.config : env.TRIPOD_CONFIG;
  const raw: Record<string, unknown> = file ? readConfigFile(resolve(cwd, file)) : {};
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

/** Raw config values from `TRIPOD_*` variables; `TRIPOD_LISTEN` takes a comma-separated list. */
export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
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
