#!/usr/bin/env node
// tripod-chaos: see docs/chaos.md for its flags, invariants, report and exit codes.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isTripodError } from '@tripod/core';
import { CHAOS_FLAGS, validateOptions } from './cli/options.js';
import { ChaosUsageError } from './cli/usage-error.js';
import { CHAOS_EXIT } from './exit-codes.js';
import { runCampaign } from './run/campaign.js';

async function main(): Promise<number> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('tripod-chaos')
    .usage('$0 [options]\n\nStarts a tripod instance (or attaches to one), loads it, injects seeded faults into its tiers, checks the invariants and writes a report.\n`$0 [options] -- PROGRAM ARGS…` runs the campaign against PROGRAM in exec mode (docs/exec.md).')
    .options(CHAOS_FLAGS)
    .parserConfiguration({ 'camel-case-expansion': false, 'populate--': true })
    .version(false)
    .strict()
    .fail((message, err) => {
      throw err ?? new ChaosUsageError(message);
    })
    .parse();
  const options = validateOptions(argv as Record<string, unknown>, Math.floor(Math.random() * 0x1_0000_0000));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const result = await runCampaign(options, say);
  if (!result.ran) return CHAOS_EXIT.NOT_RUN;
  return result.report.violations.length > 0 ? CHAOS_EXIT.VIOLATION : CHAOS_EXIT.OK;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (isTripodError(err, 'ERR_CONFIG_INVALID')) {
      process.stderr.write(`tripod-chaos: ${err.message}\n`);
      process.exit(CHAOS_EXIT.USAGE);
    }
    if (err instanceof ChaosUsageError) {
      process.stderr.write(`tripod-chaos: ${err.message}\nRun tripod-chaos --help for the flags.\n`);
      process.exit(CHAOS_EXIT.USAGE);
    }
    process.stderr.write(`tripod-chaos: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(CHAOS_EXIT.NOT_RUN);
  },
);
