#!/usr/bin/env node
// tripod-manager: see README "tripod-manager" for its interface, signals and exit codes.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { configFromArgv, runMain, yargsConfigOptions } from '@tripod/core';
import { runManager } from './main.js';

runMain('tripod-manager', async () => {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('tripod-manager')
    .usage('$0 [options]\n\nSupervises the server: spawns, respawns and drains it; serves the control socket.')
    .options(yargsConfigOptions())
    .option('inherited-fds', { type: 'number', default: 0, describe: 'number of listening fds inherited at 3, 4, … (from the cop)' })
    .version(false)
    .strict()
    .parse();
  const config = configFromArgv(argv as Record<string, unknown>);
  return runManager({ config, inheritedFds: Number(argv.inheritedFds) });
});
