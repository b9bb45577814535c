#!/usr/bin/env node
// tripod-cop: see README "tripod-cop" for its interface, signals and exit codes.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { configFromArgv, runMain, yargsConfigOptions } from '@tripod/core';
import { runCop } from './main.js';

runMain('tripod-cop', async () => {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('tripod-cop')
    .usage('$0 [options]\n\nOwns the listening sockets and watches the manager and the server; runs in the foreground.')
    .options(yargsConfigOptions())
    .option('unsafe-drop-sockets', { type: 'boolean', default: false, hidden: true, describe: 'test only: break invariant 2 on purpose' })
    .version(false)
    .strict()
    // `tripod-cop [options] -- PROGRAM ARGS…`: everything after `--` is exec mode's argv.
    .parserConfiguration({ 'populate--': true })
    .parse();
  const raw = argv as Record<string, unknown>;
  const config = configFromArgv(raw);
  return runCop({ config, loadConfig: () => configFromArgv(raw), unsafeDropSockets: Boolean(raw.unsafeDropSockets) });
});
