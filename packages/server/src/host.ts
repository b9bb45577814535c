// The HTTP host around the application: answers the heartbeat path first, tracks connections, and
// drains: stop accepting, `Connection: close` on each connection's next response, done when the last
// connection has ended.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { RequestHandler } from './builtin-app.js';
import { HEARTBEAT_PATH, heartbeatBody } from '@tripod/core';

/** An idle keep-alive connection is closed this long after a drain starts if no request came on it. */
export const DRAIN_IDLE_CLOSE_MS = 1000;

export type DrainOutcome = { readonly outcome: 'success' | 'timeout'; readonly openConnections: number; readonly ms: number };

export interface Host {
  readonly server: Server;
  /** Listens on an inherited fd (positional backlog: Node 20 ignores options.backlog for fds). */
  listenFd(fd: number, backlog: number): Promise<void>;
  listenAddress(host: string, port: number, backlog: number): Promise<void>;
  /** Stops accepting and resolves once every connection has ended, or at the timeout (then destroys the rest). */
  drain(timeoutMs: number): Promise<DrainOutcome>;
  readonly isDraining: boolean;
}

interface ConnectionState {
  active: number;
  idleTimer: NodeJS.Timeout | null;
}

export function createHost(app: RequestHandler, onAppError: (err: unknown) => void): Host {
  const connections = new Map<Socket, ConnectionState>();
  let draining = false;
  let onEmpty: (() => void) | null = null;

  const closeIfIdle = (socket: Socket, state: ConnectionState) => {
    if (state.active > 0 || state.idleTimer) return;
    state.idleTimer = setTimeout(() => socket.end(), DRAIN_IDLE_CLOSE_MS);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const state = connections.get(socket);
    if (state) {
      state.active++;
      if (state.idleTimer) clearTimeout(state.idleTimer);
      state.idleTimer = null;
      res.once('close', () => {
        state.active--;
        if (draining) closeIfIdle(socket, state);
      });
    }
    if (draining) res.setHeader('connection', 'close');
    if (req.url === HEARTBEAT_PATH) {
      const body = heartbeatBody(process.pid);
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    try {
      app(req, res);
    } catch (err) {
      onAppError(err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    }
  };

  const server = createServer(handle);
  server.on('connection', (socket: Socket) => {
    const state: ConnectionState = { active: 0, idleTimer: null };
    connections.set(socket, state);
    socket.once('close', () => {
      if (state.idleTimer) clearTimeout(state.idleTimer);
      connections.delete(socket);
      if (connections.size === 0) onEmpty?.();
    });
    if (draining) closeIfIdle(socket, state);
  });

  const listen = (target: { fd: number } | { host: string; port: number }, backlog: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.off('error', reject);
        resolve();
      };
      if ('fd' in target) server.listen({ fd: target.fd }, backlog, done);
      else server.listen(target.port, target.host, backlog, done);
    });

  return {
    server,
    get isDraining() {
      return draining;
    },
    listenFd: (fd, backlog) => listen({ fd }, backlog),
    listenAddress: (host, port, backlog) => listen({ host, port }, backlog),
    drain(timeoutMs) {
      const started = Date.now();
      draining = true;
      // net.Server's close, not http.Server's: Node 20's http close also cuts idle keep-alive connections.
      NetServer.prototype.close.call(server);
      for (const [socket, state] of connections) closeIfIdle(socket, state);
      return new Promise((resolve) => {
        const finish = (outcome: 'success' | 'timeout') => {
          clearTimeout(timer);
          onEmpty = null;
          const open = connections.size;
          for (const socket of connections.keys()) socket.destroy();
          resolve({ outcome, openConnections: open, ms: Date.now() - started });
        };
        const timer = setTimeout(() => finish('timeout'), timeoutMs);
        onEmpty = () => finish('success');
        if (connections.size === 0) finish('success');
      });
    },
  };
}
