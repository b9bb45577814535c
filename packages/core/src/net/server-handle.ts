// The one use of a private Node API: `net._createServerHandle`, the call Node's cluster module makes to
// hold a shared listening socket. It binds (or wraps an fd) without listening, so no event loop accepts
// on it. Everything that needs such a socket goes through here, and test/server-handle.test.ts pins the
// behaviour we rely on, so a Node upgrade that changes it fails loudly in the unit tests.
import net from 'node:net';
import { constants as osConstants } from 'node:os';
import { TripodError } from '../errors.js';

/** A socket handle Node owns, bound (or wrapped) but not listening. */
export interface ServerHandle {
  readonly fd: number;
  close(): void;
  /** Fills `out` with address, family and port; 0 on success, a negative errno otherwise. */
  getsockname(out: Record<string, unknown>): number;
}

export type HandleResult = { readonly ok: true; readonly handle: ServerHandle } | { readonly ok: false; readonly errno: number; readonly code: string };

type CreateServerHandle = (address: string, port: number, addressType: number, fd?: number, flags?: number) => ServerHandle | number;

const errnoNames = new Map(Object.entries(osConstants.errno).map(([name, n]) => [-n, name]));

function privateApi(): CreateServerHandle {
  const fn = (net as unknown as { _createServerHandle?: unknown })._createServerHandle;
  if (typeof fn !== 'function') {
    throw new TripodError('ERR_INTERNAL', `net._createServerHandle is missing in Node ${process.version}: tripod cannot hold a socket without listening`);
  }
  return fn as CreateServerHandle;
}

function result(value: ServerHandle | number): HandleResult {
  if (typeof value === 'number') return { ok: false, errno: value, code: errnoNames.get(value) ?? String(value) };
  return { ok: true, handle: value };
}

/** Binds host:port (an IP address) without listening; the errno's name when the kernel refuses. */
export function bindServerHandle(host: string, port: number): HandleResult {
  return result(privateApi()(host, port, net.isIP(host) === 6 ? 6 : 4));
}

/** Wraps an fd someone passed us (systemd) in a handle, without binding or listening. */
export function wrapServerHandle(fd: number): HandleResult {
  return result(privateApi()('', 0, 4, fd));
}
