// The cop owns the listening sockets: bind only (Node's cluster module does the same), never listen
// or accept; the fds go to the manager and on to every server.
import net from 'node:net';
import findProcess from 'find-process';
import { TripodError, type Listener } from '@tripod/core';
import { isIP } from 'node:net';
import { constants as osConstants } from 'node:os';

interface BoundHandle {
  readonly fd: number;
  close(): void;
}

export interface BoundListener {
  readonly listener: Listener;
  readonly fd: number;
  close(): void;
}

type CreateServerHandle = (address: string, port: number, addressType: number, fd?: number, flags?: number) => BoundHandle | number;
const createServerHandle = (net as unknown as { _createServerHandle: CreateServerHandle })._createServerHandle;

const errnoNames = new Map(Object.entries(osConstants.errno).map(([name, n]) => [-n, name]));

/** Who holds `port` (find-process runs ps/netstat-like tools): "PID 123 (nginx)" or "an unknown process". */
export async function describePortHolder(port: number): Promise<string> {
  try {
    const found = await findProcess('port', port);
    if (found.length > 0) return found.map((p: { pid: number; name: string }) => `PID ${p.pid} (${p.name})`).join(', ');
  } catch {
    // fall through
  }
  return 'an unknown process';
}

/** Binds one listener without listening; throws ERR_PORT_IN_USE naming the holder, or ERR_BIND_FAILED. */
export async function bindListener(listener: Listener): Promise<BoundListener> {
  const host = listener.host === 'localhost' ? '127.0.0.1' : listener.host;
  const family = isIP(host);
  if (family === 0) throw new TripodError('ERR_BIND_FAILED', `cannot bind ${listener.host}:${listener.port}: host must be an IP address`);
  const result = createServerHandle(host, listener.port, family);
  if (typeof result === 'number') {
    const code = errnoNames.get(result) ?? String(result);
    const where = `${listener.host}:${listener.port}`;
    if (code === 'EADDRINUSE') {
      const holder = await describePortHolder(listener.port);
      throw new TripodError('ERR_PORT_IN_USE', `${where} is already in use by ${holder}`, { details: { listener: where, holder } });
    }
    throw new TripodError('ERR_BIND_FAILED', `cannot bind ${where}: ${code}`, { details: { listener: where, code } });
  }
  return { listener, fd: result.fd, close: () => result.close() };
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
