// The few lines every tier's entry file shares: run, map the outcome to an exit code, print errors plainly.
import { EXIT, exitCodeForError } from './exit-codes.js';
import { isTripodError, type TripodError } from './errors.js';

/**
 * Runs `main` and exits with its code; a TripodError prints `name: CODE message` and exits with the
 * code `exitFor` maps it to (the tiers' table by default; ctl passes its own).
 */
export function runMain(name: string, main: () => Promise<number>, exitFor: (err: TripodError) => number = exitCodeForError, failure: number = EXIT.FAILURE): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (isTripodError(err)) {
        process.stderr.write(`${name}: ${err.code}: ${err.message}\n`);
        process.exit(exitFor(err));
      }
      process.stderr.write(`${name}: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(failure);
    },
  );
}
