// Messages a server sends its manager over the IPC channel (none when it was started by hand).

export type ServerMessage =
  | { readonly type: 'standby'; readonly pid: number }
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'locked'; readonly pid: number }
  | { readonly type: 'drained'; readonly pid: number; readonly outcome: 'success' | 'timeout'; readonly openConnections: number; readonly ms: number };

/** Sends `message` to the parent if an IPC channel is up; never throws. */
export function tellManager(message: ServerMessage): void {
  if (!process.send || !process.connected) return;
  try {
    process.send(message);
  } catch {
    // the manager is gone; the cop will deal with us
  }
}

/** The manager's `go` to a standby: listen now, serving `slot`. */
export interface GoMessage {
  readonly type: 'go';
  readonly slot: number;
}

/** A `go` message from untrusted IPC input, or null (a missing slot means slot 0, as older managers sent). */
export function parseGo(message: unknown): GoMessage | null {
  if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'go') return null;
  const slot = (message as { slot?: unknown }).slot ?? 0;
  return typeof slot === 'number' && Number.isInteger(slot) && slot >= 0 ? { type: 'go', slot } : null;
}

/**
 * A standby server waits here until its manager says `go` (its slot), or until it should stop without
 * ever serving (null): SIGTERM, or the manager gone (nobody would promote an orphaned standby).
 */
export function waitForGo(stopRequested: Promise<unknown>): Promise<GoMessage | null> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve(null);
    const onMessage = (message: unknown) => {
      const go = parseGo(message);
      if (go) done(go);
    };
    const onDisconnect = () => done(null);
    const done = (go: GoMessage | null) => {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      resolve(go);
    };
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
    void stopRequested.then(() => done(null));
  });
}
