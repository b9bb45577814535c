// Where each server's liveness socket lives: one per server PID in an owner-only directory of the
// runtime directory, so a pool of servers has one socket each.
import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The directory of the liveness sockets (mode 0700). */
export function livenessDir(runtimeDir: string): string {
  return join(runtimeDir, 'live');
}

/** The liveness socket of the server with PID `pid`. */
export function livenessSocketPath(runtimeDir: string, pid: number): string {
  return join(livenessDir(runtimeDir), `${pid}.sock`);
}

/** The file holding the token of the server with PID `pid` (mode 0600), written before it listens. */
export function tokenFilePath(runtimeDir: string, pid: number): string {
  return join(livenessDir(runtimeDir), `${pid}.token`);
}

/** The PID a liveness socket's file name names, or null for anything else. */
export function pidOfLivenessSocket(name: string): number | null {
  const match = /^(\d+)\.sock$/.exec(name);
  return match ? Number(match[1]) : null;
}

/** The PID a token file's name names, or null for anything else. */
export function pidOfTokenFile(name: string): number | null {
  const match = /^(\d+)\.token$/.exec(name);
  return match ? Number(match[1]) : null;
}

/** Removes the liveness sockets and token files of servers that are gone (a killed server cannot remove its own); returns their PIDs. */
export function sweepLivenessSockets(runtimeDir: string, isAlive: (pid: number) => boolean = processExists): number[] {
  let names: string[];
  try {
    names = readdirSync(livenessDir(runtimeDir));
  } catch {
    return [];
  }
  const removed: number[] = [];
  for (const name of names) {
    const pid = pidOfLivenessSocket(name) ?? pidOfTokenFile(name);
    if (pid === null || isAlive(pid)) continue;
    try {
      unlinkSync(join(livenessDir(runtimeDir), name));
      if (!removed.includes(pid)) removed.push(pid);
    } catch {
      // removed meanwhile
    }
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
