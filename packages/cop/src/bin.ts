#!/usr/bin/env node
// tripod-cop: see README "tripod-cop" for its interface, signals and exit codes.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { configFromArgv, envNameFor, runMain, yargsConfigOptions } from '@tripod/core';
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
  const defaultDir = raw['runtime-dir'] === undefined && process.env[envNameFor('runtime-dir')] === undefined && raw.config === undefined;
  return runCop({ config, createRuntimeDir: defaultDir, loadConfig: () => configFromArgv(raw), unsafeDropSockets: Boolean(raw.unsafeDropSockets) });
});
