// The command line ctl hands to tripod-cop: the user's flags, with every path made absolute (a daemon
// runs in `/`), and the config file passed by absolute path. A value given only in the config file is
// not passed as a flag: frozen into the cop's command line, a `tripod reload` after editing the file
// could never change it.
import { CONFIG_FLAGS, envNameFor } from '@tripod/core';
import type { Ctl } from '../context.js';

/** Flags that name paths: ctl passes the resolved, absolute values instead of what was typed. */
const PATH_FLAGS = new Set(['runtime-dir', 'log-dir', 'app', 'static-dir', 'exec', 'exec-cwd']);

/** Arguments for tripod-cop that reproduce `ctl`'s configuration from any working directory. */
export function copArguments(ctl: Ctl, env: NodeJS.ProcessEnv = process.env): string[] {
  const { config, argv } = ctl;
  const args = ['--runtime-dir', config.runtimeDir];
  if (ctl.configFile) args.push('--config', ctl.configFile);
  const given = (flag: string) => argv[flag] !== undefined || Boolean(env[envNameFor(flag)]);
  if (given('log-dir')) args.push('--log-dir', config.logDir);
  if (given('app') && config.app) args.push('--app', config.app);
  if (given('static-dir') && config.staticDir) args.push('--static-dir', config.staticDir);
  // Exec mode: the argv as one JSON flag when it came after `--` or from TRIPOD_EXEC (from a file, the
  // file keeps it), and always where it runs: the cop runs in `/`, not where tripod was started.
  const afterDashes = Array.isArray(argv['--']) && argv['--'].length > 0;
  if (config.exec && (afterDashes || given('exec'))) args.push('--exec', JSON.stringify(config.exec));
  if (config.exec) args.push('--exec-cwd', config.execCwd);
  for (const flag of Object.keys(CONFIG_FLAGS)) {
    if (PATH_FLAGS.has(flag)) continue;
    const value = argv[flag];
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) args.push(`--${flag}`, String(item));
  }
  return args;
}
