// A paced open-loop HTTP/1.1 client: requests go out on a fixed schedule (`rate` per second) whatever
// the server does, and each latency counts from when the request was due, not from when a connection
// was free to send it, so a server that holds requests shows in every request it held (no coordinated
// omission). Keep-alive keeps a pool of idle connections (a request takes one, or opens one when none
// is idle); otherwise each request opens its own connection with `Connection: close`.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { firstResponse } from './http-frame.js';

export interface PacedSample {
  /** When the request was due, ms on performance.now()'s clock. */
  readonly dueAt: number;
  /** Due → complete response, ms; null when it failed. */
  readonly latencyMs: number | null;
  /** Due → written (or connecting), ms: how late the client itself was. */
  readonly clientLagMs: number;
  /** The status line's code, or an error code (ECONNRESET, ECONNREFUSED, closed). */
  readonly outcome: string;
  /** The PID the body names (`ok pid=N`, the bench application), or null. */
  readonly pid: number | null;
}

export interface PacedRun {
  /** Stops sending; resolves with every sample once the requests in flight have ended (or `graceMs` passed). */
  stop(graceMs?: number): Promise<PacedSample[]>;
}

const TICK_MS = 1;

/** Starts sending `rate` requests per second to 127.0.0.1:`port` at once. */
export function startPaced({ port, rate, keepAlive }: { port: number; rate: number; keepAlive: boolean }): PacedRun {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`, 'latin1');
  const samples: PacedSample[] = [];
  const idle: Socket[] = [];
  let inflight = 0;
  let onIdle: (() => void) | null = null;
  const started = performance.now();
  let sent = 0;
  const intervalMs = 1000 / rate;

  const lag = new Map<number, number>();
  const record = (dueAt: number, latencyMs: number | null, outcome: string, pid: number | null = null) => {
    samples.push({ dueAt, latencyMs, clientLagMs: lag.get(dueAt) ?? 0, outcome, pid });
    lag.delete(dueAt);
    inflight--;
    if (inflight === 0) onIdle?.();
  };

  /** A socket that carries one request at a time; `due` is the request it carries now. */
  const open = (dueAt: number) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    let buffer = '';
    let due: number | null = dueAt;
    let closeAfter = false;
    const fail = (outcome: string) => {
      if (due !== null) record(due, null, outcome);
      due = null;
      const i = idle.indexOf(socket);
      if (i >= 0) idle.splice(i, 1);
    };
    (socket as Socket & { carry?: (at: number) => void }).carry = (at: number) => {
      due = at;
      socket.write(request);
    };
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const response = firstResponse(buffer);
      if (!response || due === null) return;
      const text = buffer.slice(0, response.length);
      buffer = buffer.slice(response.length);
      closeAfter = /\r\nconnection:\s*close/i.test(text);
      const pid = /pid=(\d+)/.exec(text);
      record(due, performance.now() - due, String(response.status), pid ? Number(pid[1]) : null);
      due = null;
      if (keepAlive && !closeAfter) idle.push(socket);
      else socket.destroy();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'error'));
    socket.on('close', () => fail('closed'));
  };

  const send = (dueAt: number) => {
    inflight++;
    lag.set(dueAt, performance.now() - dueAt);
    const socket = keepAlive ? (idle.pop() as (Socket & { carry?: (at: number) => void }) | undefined) : undefined;
    if (socket?.carry) socket.carry(dueAt);
    else open(dueAt);
  };

  // Catch up on every request that is due at each tick: timers are late under load, the schedule is not.
  const timer = setInterval(() => {
    const now = performance.now();
    while (started + sent * intervalMs <= now) send(started + sent++ * intervalMs);
  }, TICK_MS);

  return {
    stop(graceMs = 5000) {
      clearInterval(timer);
      return new Promise((resolve) => {
        const finish = () => {
          clearTimeout(deadline);
          onIdle = null;
          for (const s of idle.splice(0)) s.destroy();
          resolve(samples.sort((a, b) => a.dueAt - b.dueAt));
        };
        const deadline = setTimeout(finish, graceMs);
        onIdle = finish;
        if (inflight === 0) finish();
      });
    },
  };
}
