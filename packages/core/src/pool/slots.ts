// The server pool's slots and their lock files. Slot 0 keeps the historical name `server.lock` (a
// pool of one looks exactly as tripod always did); slot k ≥ 1 locks `server.<k>.lock`. Each holds
// `PID\n` of the server serving that slot, with the fcntl write lock held for the server's life.
// Names only here (the server imports this); slot-locks.ts lists and probes them.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/** The lock file name of `slot`. */
export function serverLockName(slot: number): string {
  return slot === 0 ? 'server.lock' : `server.${slot}.lock`;
}

/** The lock file path of `slot` in runtime directory `dir`. */
export function serverLockPath(dir: string, slot: number): string {
  return join(dir, serverLockName(slot));
}

/** The slot a file name locks, or null when it is no server slot lock. */
export function slotOfLockName(name: string): number | null {
  if (name === 'server.lock') return 0;
  const match = /^server\.([1-9]\d{0,3})\.lock$/.exec(name);
  return match ? Number(match[1]) : null;
}

/** The pool size `servers` asks for: a number, or `auto` (one per available core). */
export function resolvePoolSize(servers: number | 'auto', cores: () => number = availableParallelism): number {
  return servers === 'auto' ? Math.max(1, cores()) : servers;
}
