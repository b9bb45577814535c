// The harness's stand-in for tripod.socket: a socket bound on the instance's address for the whole
// campaign. The harness only binds it (Node must never listen here: its event loop would accept);
// the reaper shim puts it in the LISTEN state and hands it to each cop as systemd would.
import net from 'node:net';

export interface HeldSocket {
  readonly fd: number;
  close(): void;
}

type CreateServerHandle = (address: string, port: number, addressType: number) => { fd: number; close(): void } | number;
const createServerHandle = (net as unknown as { _createServerHandle: CreateServerHandle })._createServerHandle;

/** Binds host:port without listening; null (with the errno) when it cannot. */
export function bindSocketUnit(host: string, port: number): HeldSocket | { error: number } {
  const handle = createServerHandle(host, port, net.isIP(host) === 6 ? 6 : 4);
  if (typeof handle === 'number') return { error: handle };
  return { fd: handle.fd, close: () => handle.close() };
}
