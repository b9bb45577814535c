// Where each server's liveness socket lives: one per server PID in an owner-only directory of the
// runtime directory, so a pool of servers has one socket each.
import { join } from 'node:path';

/** The directory of the liveness sockets (mode 0700). */
export function livenessDir(runtimeDir: string): string {
  return join(runtimeDir, 'live');
}

/** The liveness socket of the server with PID `pid`. */
export function livenessSocketPath(runtimeDir: string, pid: number): string {
  return join(livenessDir(runtimeDir), `${pid}.sock`);
}

/** The PID a liveness socket's file name names, or null for anything else. */
export function pidOfLivenessSocket(name: string): number | null {
  const match = /^(\d+)\.sock$/.exec(name);
  return match ? Number(match[1]) : null;
}
