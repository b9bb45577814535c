import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { isTripodError, type ErrorCode } from '../errors.js';
import { parseRequest, type ControlRequest, type ControlResponse } from '../wire/control.js';

export type ControlHandler = (request: ControlRequest) => Promise<unknown> | unknown;

const MAX_LINE = 64 * 1024;

/** Serves the control socket at `path` (mode 0600). Call only while holding the tier's lock: it removes a stale socket file. */
export function serveControl(path: string, handle: ControlHandler): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE) return socket.destroy();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        void answer(line).then((response) => {
          if (!socket.destroyed) socket.write(JSON.stringify(response) + '\n');
        });
      }
    });
  });
  async function answer(line: string): Promise<ControlResponse> {
    const parsed = parseRequest(line);
    if (!parsed.ok) return { ok: false, error: { code: parsed.error.code, message: parsed.error.message } };
    const request = parsed.value;
    try {
      return { ok: true, result: (await handle(request)) ?? null };
    } catch (err) {
      const code: ErrorCode = isTripodError(err) ? err.code : 'ERR_INTERNAL';
      return { ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } };
    }
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}
