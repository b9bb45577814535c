#!/usr/bin/env node
// tripod-cop: see README "tripod-cop" for its interface, signals and exit codes.
import { configFromArgv, runMain } from '@tripod/core';
import { parseCopArgs } from './args.js';
import { runCop } from './main.js';

runMain('tripod-cop', async () => {
  // process.argv less node and the script (what yargs' hideBin gives under node).
  const raw = await parseCopArgs(process.argv.slice(2));
  const config = configFromArgv(raw);
  return runCop({ config, loadConfig: () => configFromArgv(raw), unsafeDropSockets: Boolean(raw.unsafeDropSockets) });
});
