// The cop's two heartbeats: a ping over the manager's control socket, and a real HTTP request through
// the listening socket to the synthetic path, checked against the server's PID.
import { request } from 'node:http';
import { controlRequest, type Listener } from '@tripod/core';

export const HEARTBEAT_PATH = '/_tripod/heartbeat';

export type ProbeResult<T> = { readonly ok: true; readonly value: T; readonly ms: number } | { readonly ok: false; readonly error: string; readonly ms: number };

export interface PingReply {
  readonly pid: number;
  readonly serverExpected: boolean;
  readonly serverPid: number | null;
}

/** Pings the manager; resolves with its reply or the reason it failed. */
export async function pingManager(socketPath: string, timeoutMs: number): Promise<ProbeResult<PingReply>> {
  const started = Date.now();
  try {
    const reply = (await controlRequest(socketPath, { cmd: 'ping' }, timeoutMs)) as PingReply;
    return { ok: true, value: reply, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, error: (err as Error).message, ms: Date.now() - started };
  }
}

/** Where to connect for a listener: wildcard addresses are probed over loopback. */
export function probeHost(listener: Listener): string {
  if (listener.host === '0.0.0.0') return '127.0.0.1';
  if (listener.host === '::') return '::1';
  return listener.host;
}

/** GETs the heartbeat path; resolves with the PID the body names. */
export function probeServer(listener: Listener, timeoutMs: number): Promise<ProbeResult<number>> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: { ok: true; value: number } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, ms: Date.now() - started });
    };
    const req = request(
      { host: probeHost(listener), port: listener.port, path: HEARTBEAT_PATH, agent: false, headers: { connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const match = /^tripod-server pid=(\d+)/.exec(body);
          if (res.statusCode !== 200 || !match) finish({ ok: false, error: `status ${res.statusCode}, body ${JSON.stringify(body.slice(0, 60))}` });
          else finish({ ok: true, value: Number(match[1]) });
        });
        res.on('error', (err) => finish({ ok: false, error: err.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => finish({ ok: false, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
}
