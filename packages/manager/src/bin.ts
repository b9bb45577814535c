#!/usr/bin/env node
// tripod-manager: see README "tripod-manager" for its interface, signals and exit codes.
import { runMain } from '@tripod/core/cli-main';
import { configFromArgv } from '@tripod/core/config/cli';
import { parseInternalArgs } from '@tripod/core/config/internal-args';
import { runManager } from './main.js';

runMain('tripod-manager', async () => {
  const internal = parseInternalArgs(process.argv.slice(2));
  if (internal && !internal.handover) {
    return runManager({ config: configFromArgv({ configJson: internal.configJson }), inheritedFds: internal.inheritedFds });
  }
  const { parseManagerArgs } = await import('./cli.js');
  const argv = await parseManagerArgs(process.argv);
  return runManager({ config: configFromArgv(argv), inheritedFds: Number(argv.inheritedFds) });
});
