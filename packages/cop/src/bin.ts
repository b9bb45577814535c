#!/usr/bin/env node
// tripod-cop: see README "tripod-cop" for its interface, signals and exit codes.
import { configFromArgv, fastConfigArgv, runMain, yargsConfigOptions } from '@tripod/core';
import { runCop } from './main.js';

const OWN_OPTIONS = { 'unsafe-drop-sockets': { type: 'boolean' } } as const;

/** The command line: plain lines without yargs (it would stay in the cop's memory for its whole life), the rest with it. */
async function parseCopArgs(): Promise<Record<string, unknown>> {
  const fast = fastConfigArgv(process.argv.slice(2), OWN_OPTIONS);
  if (fast !== null) return fast;
  const { default: yargs } = await import('yargs');
  const { hideBin } = await import('yargs/helpers');
  return yargs(hideBin(process.argv))
    .scriptName('tripod-cop')
    .usage('$0 [options]\n\nOwns the listening sockets and watches the manager and the server; runs in the foreground.')
    .options(yargsConfigOptions())
    .option('unsafe-drop-sockets', { type: 'boolean', default: false, hidden: true, describe: 'test only: break invariant 2 on purpose' })
    .version(false)
    .strict()
    .parse() as Promise<Record<string, unknown>>;
}

runMain('tripod-cop', async () => {
  const raw = await parseCopArgs();
  const config = configFromArgv(raw);
  return runCop({ config, loadConfig: () => configFromArgv(raw), unsafeDropSockets: Boolean(raw.unsafeDropSockets) });
});
