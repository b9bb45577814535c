// The control socket's server side: owner-only from the moment it exists (bound under umask 0177), and
// no client can starve the others: a bounded number of connections (a newcomer makes room by closing
// the oldest connection that never sent anything, else the least recently active one, so a flood of
// idle connections cannot lock out the cop's ping, which sends at once), one request at a time per
// connection, bounded request lines, bounded unread replies, silent connections closed early.
import { lstatSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { isTripodError, type ErrorCode } from '../errors.js';
import { parseRequest, type ControlRequest, type ControlResponse } from '../wire/control.js';

export type ControlHandler = (request: ControlRequest) => Promise<unknown> | unknown;

/** Longest request line; a longer one closes the connection. */
export const MAX_LINE = 64 * 1024;
/** Open connections at most; a newcomer beyond it closes a silent or the least recently active one. */
export const MAX_CONNECTIONS = 128;
/** Reply bytes a client may leave unread before its connection is closed. */
export const MAX_UNREAD = 256 * 1024;
/** A connection that sends nothing for this long is closed. */
export const IDLE_MS = 30_000;
/** A connection that has sent nothing at all is closed sooner. */
export const FIRST_BYTE_MS = 2000;

interface Connection {
  readonly socket: Socket;
  readonly opened: number;
  /** When it last sent something; null while it has sent nothing. */
  lastActive: number | null;
}

/** The connection to close to make room: the oldest silent one, else the least recently active. */
export function pickVictim<C extends { opened: number; lastActive: number | null }>(open: Iterable<C>): C | null {
  let silent: C | null = null;
  let idle: C | null = null;
  for (const c of open) {
    if (c.lastActive === null) {
      if (silent === null || c.opened < silent.opened) silent = c;
    } else if (idle === null || c.lastActive < idle.lastActive!) idle = c;
  }
  return silent ?? idle;
}

/** Answers one request line; never throws. */
export async function answerLine(line: string, handle: ControlHandler): Promise<ControlResponse> {
  const parsed = parseRequest(line);
  if (!parsed.ok) return { ok: false, error: { code: parsed.error.code, message: parsed.error.message } };
  try {
    return { ok: true, result: (await handle(parsed.value)) ?? null };
  } catch (err) {
    const code: ErrorCode = isTripodError(err) ? err.code : 'ERR_INTERNAL';
    return { ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } };
  }
}

/** Serves the control socket at `path` (mode 0600 from creation). Call only while holding the tier's lock: it removes a stale socket file. */
export function serveControl(path: string, handle: ControlHandler): Promise<Server> {
  rmSync(path, { force: true });
  const open = new Set<Connection>();

  let sequence = 0; // orders connections opened within the same millisecond
  const makeRoom = () => {
    if (open.size < MAX_CONNECTIONS) return;
    const victim = pickVictim(open);
    if (victim) {
      open.delete(victim);
      victim.socket.destroy();
    }
  };

  const server = createServer((socket) => {
    makeRoom();
    const conn: Connection = { socket, opened: sequence++, lastActive: null };
    open.add(conn);
    let buffer = '';
    let busy = false;
    socket.setEncoding('utf8');
    socket.setTimeout(FIRST_BYTE_MS, () => socket.destroy());
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
      if (conn.lastActive === null) socket.setTimeout(IDLE_MS);
      conn.lastActive = sequence++;
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
