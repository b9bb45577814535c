// The shape of one ctl command: a yargs command module whose work is `run`, resolving with the exit code.
import type { Argv } from 'yargs';

export interface CtlCommand {
  readonly command: string | readonly string[];
  readonly describe: string;
  builder(y: Argv): Argv;
  run(argv: Record<string, unknown>): Promise<number>;
}

export const JSON_OPTION = { json: { type: 'boolean', default: false, describe: 'print the result as JSON' } } as const;

/** Polls `probe` every `pollMs` until it returns a value that is not null/undefined/false, or `timeoutMs` passes (→ null). */
export async function until<T>(probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs: number, pollMs = 100): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

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
