// The keeper ends the way its program ended, so the manager's restart policy decodes the program's
// death unchanged: the same exit code, or the same signal raised again on itself.
import { constants } from 'node:os';

export type WaitStatus = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** What the keeper does: exit with a code, or raise a signal (with the code to use if it survives it). */
export type Mirror = { readonly kind: 'exit'; readonly code: number } | { readonly kind: 'raise'; readonly signal: NodeJS.Signals; readonly fallbackCode: number };

/** Pure: how to end like `status`. */
export function mirrorFor(status: WaitStatus): Mirror {
  if (status.signal !== null) {
    const number = (constants.signals as Record<string, number>)[status.signal] ?? 0;
    return { kind: 'raise', signal: status.signal, fallbackCode: 128 + number };
  }
  return { kind: 'exit', code: status.code ?? 1 };
}

/** Ends this process like `status` (never returns). */
export function endLike(status: WaitStatus): never {
  const mirror = mirrorFor(status);
  if (mirror.kind === 'raise') {
    // Node keeps handlers for some signals (and ignores SIGPIPE): drop ours so the default action runs.
    process.removeAllListeners(mirror.signal);
    try {
      process.kill(process.pid, mirror.signal);
    } catch {
      // fall through to the exit code
    }
    // kill(2) to oneself delivers before it returns: still here means the signal's default is to
    // ignore it (or Node keeps it, like SIGPIPE): exit 128+N as a shell would report it.
    process.exit(mirror.fallbackCode);
  }
  process.exit(mirror.code);
}
