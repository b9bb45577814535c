// What every server-tier process shares, the Node host and exec mode's keeper alike: the stop signal
// and taking server.lock behind a draining predecessor.
import { isTripodError } from '@tripod/core/errors';
import { acquireLock, type HeldLock } from '@tripod/core/lock/lockfile';
import type { Log } from '@tripod/core/log/logger';
import { waitUntil } from '@tripod/core/toolbox/wait';

const LOCK_RETRY_MS = 25;

/**
 * Takes server.lock, waiting while a draining predecessor still holds it (it lets go as its drain
 * starts). `pid` is what the file names: this process, or the program a keeper keeps.
 */
export async function takeServerLock(path: string, log: Log, pid: number = process.pid): Promise<HeldLock> {
  const lock = await waitUntil(async () => {
    try {
      return await acquireLock(path, pid);
    } catch (err) {
      if (!isTripodError(err, 'ERR_LOCK_HELD')) throw err;
      log.debug('server.lock-wait', { holder: err.details.holder });
      return null;
    }
  }, { timeoutMs: Infinity, intervalMs: LOCK_RETRY_MS });
  return lock!; // no deadline: the manager kills a predecessor that outlives its drain
}

/** Resolves at the first SIGTERM/SIGINT; later ones are ignored, so a second signal cannot cut a drain short. */
export function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => resolve(sig));
  });
}
