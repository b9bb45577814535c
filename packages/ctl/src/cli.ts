// The tripod command line: global options, one module per command, usage errors as exit code 2.
import yargs from 'yargs';
import type { CtlCommand } from './command.js';
import { doctorCommand } from './commands/doctor.js';
import { logsCommand } from './commands/logs.js';
import { metricsCommand } from './commands/metrics.js';
import { reloadCommand } from './commands/reload.js';
import { restartCommand } from './commands/restart.js';
import { serverCommand } from './commands/server.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { straysCommand } from './commands/strays.js';
import { systemdUnitCommand } from './commands/systemd-unit.js';

export const COMMANDS: readonly CtlCommand[] = [
  startCommand, stopCommand, statusCommand, restartCommand, serverCommand, reloadCommand, straysCommand, logsCommand, metricsCommand, doctorCommand,
  systemdUnitCommand,
];

/** A bad command line: the message is printed with a pointer to --help, and ctl exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses `args`, runs the command, resolves with its exit code. */
export async function runCli(args: readonly string[]): Promise<number> {
  let code = 0;
  const cli = yargs([...args])
    .scriptName('tripod')
    .usage('$0 <command> [options]\n\nThe ops CLI of a tripod instance (cop, manager, server). Exit codes and every option: docs/cli.md.')
    .options({
      'runtime-dir': { type: 'string', describe: 'the instance\'s runtime directory (default .tripod; env TRIPOD_RUNTIME_DIR)' },
      config: { type: 'string', describe: 'JSON configuration file (env TRIPOD_CONFIG)' },
    })
    .strict()
    // `tripod start [options] -- PROGRAM ARGS…`: everything after `--` is exec mode's argv.
    .parserConfiguration({ 'populate--': true })
    .demandCommand(1, 'name a command (tripod --help lists them)')
    .version(false)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, err) => {
      if (err) throw err;
      throw new UsageError(message);
    });
  for (const c of COMMANDS) {
    cli.command({
      command: c.command as string | string[],
      describe: c.describe,
      builder: (y) => c.builder(y),
      handler: async (argv) => {
        code = await c.run(argv as Record<string, unknown>);
      },
    });
  }
  await cli.parseAsync();
  return code;
}
