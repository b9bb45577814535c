#!/usr/bin/env node
// tripod-cop: see README "tripod-cop" for its interface, signals and exit codes.
import { runMain } from '@tripod/core/cli-main';
import { configFromArgv } from '@tripod/core/config/cli';
import { parseCopArgs } from './args.js';
import { runCop } from './main.js';

runMain('tripod-cop', async () => {
  // process.argv less node and the script (what yargs' hideBin gives under node).
  const raw = await parseCopArgs(process.argv.slice(2));
  const config = configFromArgv(raw);
  return runCop({ config, loadConfig: () => configFromArgv(raw), unsafeDropSockets: Boolean(raw.unsafeDropSockets) });
});
