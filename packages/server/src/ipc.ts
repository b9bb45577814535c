// The server's side of the IPC channel to its manager (none when it was started by hand); the messages
// are core's wire/server-ipc.ts contract.
import { parseManagerMessage, type ManagerMessage, type ServerMessage } from '@tripod/core/wire/server-ipc';

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

type GoMessage = Extract<ManagerMessage, { type: 'go' }>;

/** Calls `onSize` with the pool's size each time the manager says it changed (a scale or a reload). */
export function onPoolSize(onSize: (servers: number) => void): void {
  if (!process.send) return;
  process.on('message', (message: unknown) => {
    const parsed = parseManagerMessage(message);
    if (parsed.ok && parsed.value.type === 'pool') onSize(parsed.value.servers);
  });
}

/**
 * A standby server waits here until its manager says `go` (its slot), or until it should stop without
 * ever serving (null): SIGTERM, or the manager gone (nobody would promote an orphaned standby).
 */
export function waitForGo(stopRequested: Promise<unknown>): Promise<GoMessage | null> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve(null);
    const onMessage = (message: unknown) => {
      const go = parseManagerMessage(message);
      if (go.ok && go.value.type === 'go') done(go.value);
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
