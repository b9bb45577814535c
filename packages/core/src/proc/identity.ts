import { readStat } from './read.js';
import { isDeadState } from './stat.js';

/** Who a process is: a PID alone is reused, (pid, starttime) is not. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly starttime: number;
}

/** The identity of a live (not zombie) process, or null when it is gone or a zombie. */
export function identify(pid: number): ProcessIdentity | null {
  const stat = readStat(pid);
  if (stat === null || isDeadState(stat.state)) return null;
  return { pid, starttime: stat.starttime };
}

/** True when `who` still names the same live, non-zombie process. */
export function isStillAlive(who: ProcessIdentity): boolean {
  const now = identify(who.pid);
  return now !== null && now.starttime === who.starttime;
}
