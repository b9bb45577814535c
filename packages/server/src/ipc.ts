// Messages a server sends its manager over the IPC channel (none when it was started by hand).

export type ServerMessage =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'locked'; readonly pid: number }
  | { readonly type: 'draining'; readonly pid: number }
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
