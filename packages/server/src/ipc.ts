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
    // With a callback, a send that fails later (the manager died meanwhile) is reported there, not as an
    // unhandled 'error' on the process.
    process.send(message, undefined, {}, () => undefined);
  } catch {
    // the manager is gone; the cop will deal with us
  }
}

/**
 * A standby server waits here until its manager says `go` (true), or until it should stop without
 * ever serving (false): SIGTERM, or the manager gone (nobody would promote an orphaned standby).
 */
export function waitForGo(stopRequested: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve(false);
    const onMessage = (message: { type?: string }) => {
      if (message?.type === 'go') done(true);
    };
    const onDisconnect = () => done(false);
    const done = (go: boolean) => {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      resolve(go);
    };
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
    void stopRequested.then(() => done(false));
  });
}
