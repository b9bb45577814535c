#!/usr/bin/env node
// tripod-server: see README "tripod-server" for its interface, signals and exit codes.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { configFromArgv, runMain, yargsConfigOptions } from '@tripod/core';
import { runServer } from './main.js';

runMain('tripod-server', async () => {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('tripod-server')
    .usage('$0 [options]\n\nServes the application on the listening fds its manager hands down (or binds --listen itself).')
    .options(yargsConfigOptions())
    .option('inherited-fds', { type: 'number', default: 0, describe: 'number of listening fds inherited at 3, 4, …' })
    .option('handover', { type: 'boolean', default: false, describe: 'replace a running server: listen first, take the lock when it is freed' })
    .version(false)
    .strict()
    .parse();
  const config = configFromArgv(argv as Record<string, unknown>);
  return runServer({ config, inheritedFds: Number(argv.inheritedFds), handover: Boolean(argv.handover) });
});
