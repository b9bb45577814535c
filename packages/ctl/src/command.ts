// The shape of one ctl command: a yargs command module whose work is `run`, resolving with the exit code.
import type { Argv } from 'yargs';

export interface CtlCommand {
  readonly command: string | readonly string[];
  readonly describe: string;
  builder(y: Argv): Argv;
  run(argv: Record<string, unknown>): Promise<number>;
}

export const JSON_OPTION = { json: { type: 'boolean', default: false, describe: 'print the result as JSON' } } as const;

/** Resolves when the process receives SIGINT or SIGTERM (commands that run until interrupted). */
export function interrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}
