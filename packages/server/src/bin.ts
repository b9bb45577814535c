#!/usr/bin/env node
// tripod-server: see README "tripod-server" for its interface, signals and exit codes.
// Deep imports, not the barrel: a restarting server loads only what it uses.
import { runMain } from '@tripod/core/cli-main';
import { configFromArgv } from '@tripod/core/config/cli';
import { parseInternalArgs } from '@tripod/core/config/internal-args';
import { runServer } from './main.js';

runMain('tripod-server', async () => {
  const internal = parseInternalArgs(process.argv.slice(2));
  if (internal) {
    const config = configFromArgv({ configJson: internal.configJson });
    return runServer({ config, inheritedFds: internal.inheritedFds, handover: internal.handover, standby: internal.standby, slot: internal.slot });
  }
  const { parseServerArgs } = await import('./cli.js');
  const argv = await parseServerArgs(process.argv);
  return runServer({ config: configFromArgv(argv), inheritedFds: Number(argv.inheritedFds), handover: Boolean(argv.handover), standby: false, slot: Number(argv.slot ?? 0) });
});
