// A lean closed-loop HTTP/1.1 client for throughput: raw sockets, one request in flight per connection,
// a fixed request, Content-Length framing. Far cheaper per request than node:http, so on a 2-core
// machine the server, not the client, is what saturates.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { firstResponse } from './http-frame.js';

/** Runs `connections` closed loops for `durationMs`; keep-alive reuses a connection, otherwise one per request. */
export interface ClosedLoopResult {
  readonly ok: number;
  readonly failed: number;
  readonly latencies: number[];
  readonly elapsedMs: number;
}

export function runClosedLoop({ port, connections, durationMs, keepAlive, maxRequests = 10_000_000 }: { port: number; connections: number; durationMs: number; keepAlive: boolean; maxRequests?: number }): Promise<ClosedLoopResult> {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`, 'latin1');
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const more = () => performance.now() < deadline && ok + failed < maxRequests;

  return new Promise((resolve) => {
    let open = connections;
    const loopDone = () => {
      if (--open === 0) resolve({ ok, failed, latencies, elapsedMs: performance.now() - started });
    };
    const loop = () => {
      if (!more()) return loopDone();
      const socket = connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      socket.setEncoding('latin1');
      let buffer = '';
      let sentAt = 0;
      let finished = false;
      const send = () => {
        sentAt = performance.now();
        socket.write(request);
      };
      const next = () => {
        if (finished) return;
        finished = true;
        socket.destroy();
        loop();
      };
      socket.on('connect', send);
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        for (let response = firstResponse(buffer); response; response = firstResponse(buffer)) {
          buffer = buffer.slice(response.length);
          latencies.push(performance.now() - sentAt);
          if (response.status === 200) ok++;
          else failed++;
          if (!keepAlive || !more()) return next();
          send();
        }
      });
      socket.on('error', () => {
        if (!finished) failed++;
        next();
      });
      socket.on('close', next);
    };
    for (let i = 0; i < connections; i++) loop();
  });
}
