// The HTTP host around the application: answers the heartbeat path first, turns the application's
// errors into 500s, and drains: stop accepting, `Connection: close` on each connection's next response
// (and on responses in flight not yet under way), done when the last connection has ended (Node's own
// count: the host keeps no per-connection state of its own).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, Server as NetServer, type Socket } from 'node:net';
import type { RequestHandler } from './builtin-app.js';
import { HEARTBEAT_PATH, heartbeatBody } from '@tripod/core/wire/heartbeat';
import type { Liveness } from './liveness/monitor.js';

export type DrainOutcome = { readonly outcome: 'success' | 'timeout'; readonly openConnections: number; readonly ms: number };

export interface Host {
  readonly server: Server;
  /** Listens on an inherited fd (positional backlog: Node 20 ignores options.backlog for fds). */
  listenFd(fd: number, backlog: number): Promise<void>;
  listenAddress(host: string, port: number, backlog: number): Promise<void>;
  /** Stops accepting and resolves once every connection has ended, or at the timeout (then destroys the rest). */
  drain(timeoutMs: number): Promise<DrainOutcome>;
  /**
   * Serves `requests` heartbeat requests (half on new connections, half on one keep-alive connection)
   * through a private loopback listener of the same handler, so the first real requests do not pay for
   * compiling the HTTP path (measured 5-9 ms for a fresh process's first request, ~0.3 ms warm). The
   * application is not called. Resolves with the requests answered, at most after `timeoutMs`.
   */
  warmUp(requests: number, timeoutMs: number): Promise<number>;
  readonly isDraining: boolean;
  /** Whether this server is one of several (then keep-alive connections are recycled); the pool's size can change at run time. */
  setPooled(pooled: boolean): void;
}

/** Sends `count` GETs of `path` to 127.0.0.1:`port`, on one connection (`keepAlive`) or one each; resolves with the answers seen. */
function askMany(port: number, path: string, count: number, keepAlive: boolean): Promise<number> {
  const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`;
  return new Promise((resolve) => {
    let answered = 0;
    const next = (socket: Socket | null) => {
      if (answered >= count) {
        socket?.destroy();
        return resolve(answered);
      }
      if (socket !== null) return void socket.write(request);
      const fresh = connect(port, '127.0.0.1', () => fresh.write(request));
      fresh.on('data', (chunk: Buffer) => {
        // A heartbeat answer is small and comes in one chunk; count answers by their status lines.
        const n = chunk.toString('latin1').split('HTTP/1.1 ').length - 1;
        if (n === 0) return;
        answered += n;
        if (keepAlive) next(fresh);
        else {
          fresh.destroy();
          next(null);
        }
      });
      fresh.on('error', () => resolve(answered));
    };
    next(null);
  });
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Requests a keep-alive connection carries in a pool before its response says `Connection: close`.
 * Servers sharing one accept queue take a burst of new connections unevenly (whichever process wakes
 * first accepts many), and keep-alive keeps that spread for the connection's life: measured, 50 of 50
 * connections on one server of two. Recycling each connection after this many requests lets the
 * shared queue spread them again (the idler server wins the accept race): 1.05–1.12 × the fair share,
 * at the cost of one reconnect per 100 requests. docs/pool.md "Balance".
 */
export const POOL_MAX_REQUESTS_PER_SOCKET = 100;

/** The response of a request, for the request's shared error listener (set on the request before the application runs). */
const kResponse = Symbol('tripod.response');
type TrackedRequest = IncomingMessage & { [kResponse]?: ServerResponse };

/** `liveness` counts the application's requests (not the heartbeat's) as progress and in-flight work; its token answers the heartbeat. */
export function createHost(app: RequestHandler, onAppError: (err: unknown) => void, liveness: Liveness, options: { readonly pooled?: boolean } = {}): Host {
  let pooled = options.pooled ?? false;
  let draining = false;
  // Not Node's maxRequestsPerSocket: past its limit it answers 503 to a client that sends on; closing
  // after the response (as a drain does) fails nothing for a client that honours Connection: close.
  const served = new WeakMap<Socket, number>();
  const isRecycled = (socket: Socket): boolean => {
    const n = (served.get(socket) ?? 0) + 1;
    served.set(socket, n);
    return n >= POOL_MAX_REQUESTS_PER_SOCKET;
  };

  // The application's errors, thrown, rejected or emitted on the request or response, answer 500 (or
  // cut a response already under way) and are logged; none reaches the process. The listeners are
  // shared by every request, not closures made per request: with the connection bookkeeping Node's
  // own server already does, they were the per-request cost against a bare server (docs/benchmarks.md "pinned").
  const failed = new WeakSet<ServerResponse>();
  const fail = (res: ServerResponse, err: unknown) => {
    if (failed.has(res)) return;
    failed.add(res);
    onAppError(err);
    if (res.headersSent || res.destroyed) return void res.destroy();
    res.writeHead(500, { 'content-type': 'text/plain', 'content-length': 15 });
    res.end('internal error\n');
  };
  function onResponseError(this: ServerResponse, err: unknown) {
    fail(this, err);
  }
  function onRequestError(this: TrackedRequest, err: unknown) {
    const res = this[kResponse];
    if (res === undefined) return;
    if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') res.destroy(); // a client gone is not an application error
    else fail(res, err);
  }

  const handle = (req: TrackedRequest, res: ServerResponse) => {
    // While draining, each connection's next response closes it. An idle keep-alive connection is not
    // closed any sooner than keepAliveTimeout would close it anyway: closing it early races with a
    // client that is sending its next request right then, and fails that request.
    if (draining || (pooled && isRecycled(req.socket))) res.setHeader('connection', 'close');
    if (req.url === HEARTBEAT_PATH) {
      const body = heartbeatBody(liveness.token);
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    liveness.track(req, res);
    req[kResponse] = res;
    req.on('error', onRequestError);
    res.on('error', onResponseError);
    try {
      const result: unknown = app(req, res);
      if (isPromise(result)) result.then(undefined, (err: unknown) => fail(res, err));
    } catch (err) {
      fail(res, err);
    }
  };

  const server = createServer(handle);

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
    async warmUp(requests, timeoutMs) {
      const private_ = createServer(handle);
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          private_.once('error', reject);
          private_.listen(0, '127.0.0.1', resolve);
        });
        const { port } = private_.address() as { port: number };
        const half = Math.ceil(requests / 2);
        const work = (async () => (await askMany(port, HEARTBEAT_PATH, half, false)) + (await askMany(port, HEARTBEAT_PATH, requests - half, true)))();
        return await Promise.race([work, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(0), timeoutMs)))]);
      } catch {
        return 0;
      } finally {
        clearTimeout(timer);
        private_.closeAllConnections();
        private_.close();
      }
    },
    setPooled(value) {
      pooled = value;
    },
    listenAddress: (host, port, backlog) => listen({ host, port }, backlog),
    drain(timeoutMs) {
      const started = Date.now();
      draining = true;
      // The requests already in flight: their responses close their connections too, if not yet under way.
      for (const res of liveness.inFlight()) if (!res.headersSent) res.setHeader('connection', 'close');
      return new Promise((resolve) => {
        let done = false;
        const finish = (outcome: 'success' | 'timeout', openConnections: number) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve({ outcome, openConnections, ms: Date.now() - started });
        };
        const timer = setTimeout(() => {
          server.getConnections((_err, open) => {
            server.closeAllConnections();
            finish('timeout', open ?? 0);
          });
        }, timeoutMs);
        // net.Server's close, not http.Server's: Node 20's http close also cuts idle keep-alive
        // connections. Its callback runs once the last connection has ended (Node counts them).
        NetServer.prototype.close.call(server, () => finish('success', 0));
      });
    },
  };
}
