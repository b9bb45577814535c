// The HTTP host around the application: answers the heartbeat path first, tracks connections, and
// drains: stop accepting, `Connection: close` on each connection's next response, done when the last
// connection has ended.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { RequestHandler } from './builtin-app.js';
import { HEARTBEAT_PATH, heartbeatBody } from '@tripod/core/wire/heartbeat';

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

export function createHost(app: RequestHandler, onAppError: (err: unknown) => void): Host {
  const connections = new Set<Socket>();
  let draining = false;
  let onEmpty: (() => void) | null = null;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // While draining, each connection's next response closes it. An idle keep-alive connection is not
    // closed any sooner than keepAliveTimeout would close it anyway: closing it early races with a
    // client that is sending its next request right then, and fails that request.
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
    connections.add(socket);
    socket.once('close', () => {
      connections.delete(socket);
      if (connections.size === 0) onEmpty?.();
    });
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
      return new Promise((resolve) => {
        const finish = (outcome: 'success' | 'timeout') => {
          clearTimeout(timer);
          onEmpty = null;
          const open = connections.size;
          for (const socket of connections) socket.destroy();
          resolve({ outcome, openConnections: open, ms: Date.now() - started });
        };
        const timer = setTimeout(() => finish('timeout'), timeoutMs);
        onEmpty = () => finish('success');
        if (connections.size === 0) finish('success');
      });
    },
  };
}
