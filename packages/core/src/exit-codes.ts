// The tiers' exit codes (tripod-cop, tripod-manager, tripod-server), a contract documented in README
// "Exit codes". tripod (ctl) and tripod-chaos have tables of their own.
import type { TripodError } from './errors.js';

export const EXIT = {
  OK: 0,
  /** Unexpected internal failure. */
  FAILURE: 1,
  /** Bad command line or configuration value. */
  CONFIG: 2,
  /** Another live process of this instance holds this tier's lock. */
  LOCK_HELD: 3,
  /** The runtime directory is missing, not writable, insecure, too long for a socket path, or holds a file that is not ours; or /proc/locks is missing. */
  RUNTIME_DIR: 4,
  /** A listening address could not be bound (port taken, permission). */
  BIND: 5,
  /** The application module could not be loaded. */
  APP_LOAD: 6,
  /** The cop's own check loop stalled past its bound and it aborted (its supervisor restarts it). */
  STALLED: 7,
  /** "Do not restart me": the server's supervisor honours it (s6's convention). */
  NO_RESTART: 125,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Errors that mean "the runtime directory (or a file in it) cannot be used": exit 4 in every binary. */
export const RUNTIME_DIR_ERRORS: ReadonlySet<string> = new Set([
  'ERR_RUNTIME_DIR_MISSING', 'ERR_RUNTIME_DIR_NOT_WRITABLE', 'ERR_LOCK_SYMLINK', 'ERR_RUNTIME_DIR_INSECURE',
  'ERR_SOCKET_PATH_TOO_LONG', 'ERR_FILE_NOT_OURS', 'ERR_PROC_LOCKS_MISSING',
]);

/** The exit code a tier reports for a TripodError that ends it. */
export function exitCodeForError(err: TripodError): number {
  if (RUNTIME_DIR_ERRORS.has(err.code)) return EXIT.RUNTIME_DIR;
  switch (err.code) {
    case 'ERR_LOCK_HELD':
      return EXIT.LOCK_HELD;
    case 'ERR_APP_LOAD':
      return EXIT.APP_LOAD;
    case 'ERR_CONFIG_INVALID':
      return EXIT.CONFIG;
    case 'ERR_PORT_IN_USE':
    case 'ERR_BIND_FAILED':
      return EXIT.BIND;
    default:
      return EXIT.FAILURE;
  }
}
