// The cop owns the listening sockets: bind only (Node's cluster module does the same), never listen
// or accept; the fds go to the manager and on to every server.
import { isIP } from 'node:net';
import type { Listener } from '@tripod/core/config/config';
import { TripodError } from '@tripod/core/errors';
import { bindServerHandle, wrapServerHandle } from '@tripod/core/net/server-handle';
import type { ListenRow } from '@tripod/core/proc/net-tcp';
import { findPortHolders } from '@tripod/core/proc/port-holders';
import { readAllListenRows } from '@tripod/core/proc/read';

export interface BoundListener {
  readonly listener: Listener;
  readonly fd: number;
  close(): void;
}

/** Who holds `port` (read from /proc): "PID 123 (nginx)" or "an unknown process". */
export async function describePortHolder(port: number): Promise<string> {
  const found = await findPortHolders(port);
  return found.length > 0 ? found.map((p) => `PID ${p.pid} (${p.name})`).join(', ') : 'an unknown process';
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** True when some socket already listens where `host:port` would: same port, same or wildcard address. */
export function isListenedOn(host: string, port: number, rows: readonly ListenRow[]): boolean {
  return rows.some((r) => r.port === port && (r.address === host || WILDCARDS.has(r.address) || WILDCARDS.has(host)));
}

async function portInUse(where: string, port: number): Promise<TripodError> {
  const holder = await describePortHolder(port);
  return new TripodError('ERR_PORT_IN_USE', `${where} is already in use by ${holder}`, { details: { listener: where, holder } });
}

/** Binds one listener without listening; throws ERR_PORT_IN_USE naming the holder, or ERR_BIND_FAILED. */
export async function bindListener(listener: Listener): Promise<BoundListener> {
  const host = listener.host === 'localhost' ? '127.0.0.1' : listener.host;
  const family = isIP(host);
  const where = `${listener.host}:${listener.port}`;
  if (family === 0) throw new TripodError('ERR_BIND_FAILED', `cannot bind ${where}: host must be an IP address`);
  // With SO_REUSEADDR, bind() succeeds beside a socket that already listens (measured here); only
  // listen() would fail, in the server. So look for a LISTEN row first.
  if (isListenedOn(host, listener.port, readAllListenRows())) throw await portInUse(where, listener.port);
  const result = bindServerHandle(host, listener.port);
  if (!result.ok) {
    const { code } = result;
    if (code === 'EADDRINUSE') throw await portInUse(where, listener.port);
    throw new TripodError('ERR_BIND_FAILED', `cannot bind ${where}: ${code}`, { details: { listener: where, code } });
  }
  const { handle } = result;
  return { listener, fd: handle.fd, close: () => handle.close() };
}

/** Binds every listener, closing those already bound if one fails. */
export async function bindAll(listeners: readonly Listener[]): Promise<BoundListener[]> {
  const bound: BoundListener[] = [];
  try {
    for (const l of listeners) bound.push(await bindListener(l));
  } catch (err) {
    for (const b of bound) b.close();
    throw err;
  }
  return bound;
}

/**
 * Wraps a listening socket systemd passed us (socket activation) in a handle, without listening or
 * accepting, and reads its address. Only TCP sockets can serve a tripod listener.
 */
export function openPassedListener(fd: number, name: string): BoundListener {
  const what = `fd ${fd} (${name}) passed by systemd`;
  const result = wrapServerHandle(fd); // a handle around fd: no bind, no listen
  if (!result.ok) throw new TripodError('ERR_BIND_FAILED', `${what} is not a usable stream socket: ${result.code}`, { details: { fd, name } });
  const { handle } = result;
  const address: Record<string, unknown> = {};
  const err = typeof handle.getsockname === 'function' ? handle.getsockname(address) : -1;
  if (err !== 0 || typeof address.address !== 'string' || typeof address.port !== 'number') {
    handle.close();
    throw new TripodError('ERR_BIND_FAILED', `${what} is not a TCP socket (unix and datagram sockets cannot serve HTTP listeners)`, { details: { fd, name } });
  }
  return { listener: { host: address.address, port: address.port }, fd: handle.fd, close: () => handle.close() };
}
