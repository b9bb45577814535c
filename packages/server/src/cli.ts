// The server's full command line, for people (the manager uses the internal form in args.ts).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { yargsConfigOptions } from '@tripod/core';

export async function parseServerArgs(argv: string[]): Promise<Record<string, unknown>> {
  return yargs(hideBin(argv))
    .scriptName('tripod-server')
    .usage('$0 [options]\n\nServes the application on the listening fds its manager hands down (or binds --listen itself).')
    .options(yargsConfigOptions())
    .option('inherited-fds', { type: 'number', default: 0, describe: 'number of listening fds inherited at 3, 4, …' })
    .option('handover', { type: 'boolean', default: false, describe: 'replace a running server: listen first, take the lock when it is freed' })
    .option('slot', { type: 'number', default: 0, describe: 'the pool slot served: its lock is server.lock for 0, server.<slot>.lock otherwise' })
    .version(false)
    .strict()
    .parse() as Promise<Record<string, unknown>>;
}
