// The command line ctl hands to tripod-cop: the user's flags, with every path made absolute (a daemon
// runs in `/`), and the config file passed by absolute path.
import { join } from 'node:path';
import { CONFIG_FLAGS } from '@tripod/core';
import type { Ctl } from '../context.js';

/** Flags that name paths: ctl passes the resolved, absolute values instead of what was typed. */
const PATH_FLAGS = new Set(['runtime-dir', 'log-dir', 'app', 'static-dir', 'exec', 'exec-cwd']);

/** Arguments for tripod-cop that reproduce `ctl`'s configuration from any working directory. */
export function copArguments(ctl: Ctl): string[] {
  const { config, argv } = ctl;
  const args = ['--runtime-dir', config.runtimeDir];
  if (ctl.configFile) args.push('--config', ctl.configFile);
  if (config.logDir !== join(config.runtimeDir, 'logs')) args.push('--log-dir', config.logDir);
  if (config.app) args.push('--app', config.app);
  if (config.staticDir) args.push('--static-dir', config.staticDir);
  // Exec mode: the argv as one JSON flag (whether it came after `--`, from a file or TRIPOD_EXEC), and where it runs.
  if (config.exec) args.push('--exec', JSON.stringify(config.exec), '--exec-cwd', config.execCwd);
  for (const flag of Object.keys(CONFIG_FLAGS)) {
    if (PATH_FLAGS.has(flag)) continue;
    const value = argv[flag];
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) args.push(`--${flag}`, String(item));
  }
  return args;
}
