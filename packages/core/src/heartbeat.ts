// The one heartbeat client: a real HTTP request through a listener to the synthetic path (the contract
// is wire/heartbeat.ts), answered with the PID of the server that took it. Used by the cop, ctl, chaos,
// the tests and the bench.
import { request } from 'node:http';
import { HEARTBEAT_PATH, parseHeartbeatBody } from './wire/heartbeat.js';

/** Where to send a heartbeat: a configured listener, or any host and port. */
export interface HeartbeatTarget {
  readonly host: string;
  readonly port: number;
}

/** A probe's outcome with its round trip. */
export type ProbeResult<T> = { readonly ok: true; readonly value: T; readonly ms: number } | { readonly ok: false; readonly error: string; readonly ms: number };

/** Where to connect for a listener: wildcard addresses are probed over loopback. */
export function probeHost(listener: HeartbeatTarget): string {
  if (listener.host === '0.0.0.0') return '127.0.0.1';
  if (listener.host === '::') return '::1';
  return listener.host;
}

/** GETs the heartbeat path through `listener` with a deadline; resolves with the PID that answered, never rejects. */
export function probeHeartbeat(listener: HeartbeatTarget, timeoutMs: number): Promise<ProbeResult<number>> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: { ok: true; value: number } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, ms: Date.now() - started });
    };
    const req = request({ host: probeHost(listener), port: listener.port, path: HEARTBEAT_PATH, agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const pid = parseHeartbeatBody(body);
        if (res.statusCode === 200 && pid !== null) finish({ ok: true, value: pid });
        else finish({ ok: false, error: `status ${res.statusCode}, body ${JSON.stringify(body.slice(0, 60))}` });
      });
      res.on('error', (err) => finish({ ok: false, error: err.message }));
    });
    const timer = setTimeout(() => {
      finish({ ok: false, error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => finish({ ok: false, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
}

/** The PID of the server answering through host:port, or null (no answer in time, or not a server). */
export async function servingPid(target: HeartbeatTarget, timeoutMs: number): Promise<number | null> {
  const result = await probeHeartbeat(target, timeoutMs);
  return result.ok ? result.value : null;
}
