// The few lines every tier's entry file shares: run, map the outcome to an exit code, print errors plainly.
import { EXIT, exitCodeForError } from './exit-codes.js';
import { isTripodError } from './errors.js';

/** Runs `main` and exits with its code; a TripodError prints `name: CODE message` and exits with its mapped code. */
export function runMain(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (isTripodError(err)) {
        process.stderr.write(`${name}: ${err.code}: ${err.message}\n`);
        process.exit(exitCodeForError(err));
      }
      process.stderr.write(`${name}: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(EXIT.FAILURE);
    },
  );
}
