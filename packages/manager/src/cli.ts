// The manager's full command line, for people (the cop uses the internal form).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { yargsConfigOptions } from '@tripod/core/config/cli';

export async function parseManagerArgs(argv: string[]): Promise<Record<string, unknown>> {
  return yargs(hideBin(argv))
    .scriptName('tripod-manager')
    .usage('$0 [options]\n\nSupervises the server: spawns, respawns and drains it; serves the control socket.')
    .options(yargsConfigOptions())
    .option('inherited-fds', { type: 'number', default: 0, describe: 'number of listening fds inherited at 3, 4, … (from the cop)' })
    .version(false)
    .strict()
    .parse() as Promise<Record<string, unknown>>;
}
