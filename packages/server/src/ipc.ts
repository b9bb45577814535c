// The server's side of the IPC channel to its manager (none when it was started by hand); the messages
// are core's wire/server-ipc.ts contract.
import { parseManagerMessage, type ServerMessage } from '@tripod/core/wire/server-ipc';

/** Sends `message` to the parent if an IPC channel is up; never throws. */
export function tellManager(message: ServerMessage): void {
  if (!process.send || !process.connected) return;
  try {
    process.send(message);
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
    const onMessage = (message: unknown) => {
      if (parseManagerMessage(message).ok) done(true);
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
