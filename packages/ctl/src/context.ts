// What every command starts from: the validated configuration (file, TRIPOD_* environment, flags),
// the runtime paths, and the instance id when the runtime directory exists.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULTS, configFromArgv, envNameFor, instanceIdFor, readConfigFile, runtimePaths,
  type Listener, type ManagerStatus, type RuntimePaths, type TripodConfig,
} from '@tripod/core';
import { readManagerStatus } from './instance/manager-status.js';

export interface Ctl {
  readonly config: TripodConfig;
  readonly paths: RuntimePaths;
  /** The config file in use (from --config or TRIPOD_CONFIG), absolute, or null. */
  readonly configFile: string | null;
  /** True when listeners were given explicitly (flag, environment or config file) rather than defaulted. */
  readonly listenExplicit: boolean;
  /** The raw parsed flags. */
  readonly argv: Readonly<Record<string, unknown>>;
}

/** Builds the context from parsed flags; throws ERR_CONFIG_INVALID naming the field on a bad value. */
export function ctlContext(argv: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Ctl {
  const config = configFromArgv(argv, cwd, env);
  const fileArg = typeof argv.config === 'string' ? argv.config : env.TRIPOD_CONFIG || undefined;
  const configFile = fileArg ? resolve(cwd, fileArg) : null;
  const listenExplicit = argv.listen !== undefined || Boolean(env[envNameFor('listen')]) || (configFile !== null && 'listen' in readConfigFile(configFile));
  return { config, paths: runtimePaths(config.runtimeDir, config.logDir), configFile, listenExplicit, argv };
}

/** The instance id of the runtime directory, or null when the directory does not exist. */
export function instanceOf(ctl: Ctl): string | null {
  if (!existsSync(ctl.config.runtimeDir)) return null;
  try {
    return instanceIdFor(ctl.config.runtimeDir);
  } catch {
    return null;
  }
}

/** The listeners to look at: explicit ones, else those the instance's status.json names, else the default. */
export function knownListeners(ctl: Ctl, status: ManagerStatus | null = readManagerStatus(ctl.paths)): Listener[] {
  if (ctl.listenExplicit) return [...ctl.config.listen];
  const named = (status?.listeners ?? []).map((l) => ({ host: l.host, port: l.port }));
  return named.length > 0 ? named : [...DEFAULTS.listen];
}
