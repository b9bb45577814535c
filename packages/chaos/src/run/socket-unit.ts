// The harness's stand-in for tripod.socket: a socket bound on the instance's address for the whole
// campaign. The harness only binds it (Node must never listen here: its event loop would accept);
// the reaper shim puts it in the LISTEN state and hands it to each cop as systemd would.
import { bindServerHandle } from '@tripod/core';

export interface HeldSocket {
  readonly fd: number;
  close(): void;
}

/** Binds host:port without listening; else the errno name (EADDRINUSE, …). */
export function bindSocketUnit(host: string, port: number): HeldSocket | { error: string } {
  const result = bindServerHandle(host, port);
  if (!result.ok) return { error: result.code };
  const { handle } = result;
  return { fd: handle.fd, close: () => handle.close() };
}
