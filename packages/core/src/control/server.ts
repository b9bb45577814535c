// The control socket's server side: owner-only from the moment it exists (bound under umask 0177), and
// no client can starve the others: a bounded number of connections (the least recently active one
// makes room for a newcomer, so a flood cannot lock out the cop's ping), one request at a time per
// connection, bounded request lines, bounded unread replies, idle connections closed.
import { lstatSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { isTripodError } from '../errors.js';
import { parseRequest, type ControlRequest, type ControlResponse } from './protocol.js';

export type ControlHandler = (request: ControlRequest) => Promise<unknown> | unknown;

/** Longest request line; a longer one closes the connection. */
export const MAX_LINE = 64 * 1024;
/** Open connections at most; a newcomer beyond it closes the least recently active one. */
export const MAX_CONNECTIONS = 32;
/** Reply bytes a client may leave unread before its connection is closed. */
export const MAX_UNREAD = 256 * 1024;
/** A connection that sends nothing for this long is closed. */
export const IDLE_MS = 30_000;

interface Connection {
  readonly socket: Socket;
  lastActive: number;
}

/** Answers one request line; never throws. */
export async function answerLine(line: string, handle: ControlHandler): Promise<ControlResponse> {
  const request = parseRequest(line);
  if (typeof request === 'string') return { ok: false, error: { code: 'ERR_CONTROL_PROTOCOL', message: request } };
  try {
    return { ok: true, result: (await handle(request)) ?? null };
  } catch (err) {
    const code = isTripodError(err) ? err.code : 'ERR_INTERNAL';
    return { ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } };
  }
}

/** Serves the control socket at `path` (mode 0600 from creation). Call only while holding the tier's lock: it removes a stale socket file. */
export function serveControl(path: string, handle: ControlHandler): Promise<Server> {
  rmSync(path, { force: true });
  const open = new Set<Connection>();

  const makeRoom = () => {
    if (open.size < MAX_CONNECTIONS) return;
    let oldest: Connection | null = null;
    for (const c of open) if (oldest === null || c.lastActive < oldest.lastActive) oldest = c;
    if (oldest) {
      open.delete(oldest);
      oldest.socket.destroy();
    }
  };

  const server = createServer((socket) => {
    makeRoom();
    const conn: Connection = { socket, lastActive: Date.now() };
    open.add(conn);
    let buffer = '';
    let busy = false;
    socket.setEncoding('utf8');
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => open.delete(conn));

    // One request at a time: reading pauses while a line is answered, so a client that pipelines
    // thousands of requests gets them answered in turn with everyone else's.
    const next = () => {
      if (busy || socket.destroyed) return;
      const newline = buffer.indexOf('\n');
      if (newline < 0) {
        if (buffer.length > MAX_LINE) socket.destroy();
        else socket.resume();
        return;
      }
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      busy = true;
      socket.pause();
      void answerLine(line, handle).then((response) => {
        busy = false;
        if (socket.destroyed) return;
        if (socket.writableLength > MAX_UNREAD) return socket.destroy();
        socket.write(JSON.stringify(response) + '\n');
        setImmediate(next);
      });
    };
    socket.on('data', (chunk: string) => {
      conn.lastActive = Date.now();
      buffer += chunk;
      next();
    });
  });
  server.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // bind() creates the socket file: under umask 0177 it is 0600 from its first moment.
    const previous = process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        const mode = lstatSync(path).mode & 0o777;
        if (mode !== 0o600) reject(new Error(`control socket ${path} was created with mode ${mode.toString(8)}, not 600`));
        else resolve(server);
      });
    } finally {
      process.umask(previous);
    }
  });
}
