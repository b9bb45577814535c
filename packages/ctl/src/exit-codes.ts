// The ctl's exit codes. Status codes follow the LSB init-script convention; 150–199 is the LSB
// range reserved for applications, where tripod puts the states LSB has no word for.
import { RUNTIME_DIR_ERRORS, type TripodError } from '@tripod/core';

/** `tripod status`: what state the instance is in. */
export const STATUS_EXIT = {
  /** Cop, manager and a serving server are up and answering. */
  RUNNING: 0,
  /** Nothing runs, but a lock file still names a PID nobody holds (killed, not stopped). */
  DEAD_LOCK_FILE: 1,
  /** Nothing runs and the files are clean (or the runtime directory does not exist). */
  NOT_RUNNING: 3,
  /** The state cannot be told: runtime directory unreadable, /proc missing, a lock held by a stranger. */
  UNKNOWN: 4,
  /** The cop runs but the service is not whole: manager or server down, not answering, in backoff or given up. */
  DEGRADED: 150,
  /** Processes of the instance run but no cop holds cop.lock: nothing watches them. */
  UNSUPERVISED: 151,
} as const;

/** Every other command. */
export const CTL_EXIT = {
  OK: 0,
  /** The command did not get what it asked for (timeout, refused, a kill that did not take). */
  FAILURE: 1,
  /** Bad command line or configuration value. */
  USAGE: 2,
  /** The runtime directory is missing or unusable (not writable, insecure, too long for the socket, a file not ours in it). */
  RUNTIME_DIR: 4,
  /** The command needs a running instance and there is none (LSB "program is not running"). */
  NOT_RUNNING: 7,
} as const;

/** ctl's code for an error that ends a command: the tiers' codes never leak out of `tripod`. */
export function ctlExitForError(err: TripodError): number {
  if (err.code === 'ERR_CONFIG_INVALID') return CTL_EXIT.USAGE;
  if (RUNTIME_DIR_ERRORS.has(err.code)) return CTL_EXIT.RUNTIME_DIR;
  return CTL_EXIT.FAILURE;
}
