// The server heartbeat: the synthetic path every server answers before the application (Traffic
// Server's synthetic.txt) with a body naming its PID, and the probe that fetches it through a listener.
import { request } from 'node:http';
import type { Listener } from './config/config.js';

export const HEARTBEAT_PATH = '/_tripod/heartbeat';

/** The body a server answers the heartbeat with. */
export function heartbeatBody(pid: number): string {
  return `tripod-server pid=${pid}\n`;
}

/** The PID a heartbeat body names, or null. */
export function parseHeartbeatBody(body: string): number | null {
  const match = /^tripod-server pid=(\d+)\b/.exec(body);
  return match ? Number(match[1]) : null;
}

/** A probe's outcome with its round trip. */
export type ProbeResult<T> = { readonly ok: true; readonly value: T; readonly ms: number } | { readonly ok: false; readonly error: string; readonly ms: number };

/** Where to connect for a listener: wildcard addresses are probed over loopback. */
export function probeHost(listener: Listener): string {
  if (listener.host === '0.0.0.0') return '127.0.0.1';
  if (listener.host === '::') return '::1';
  return listener.host;
}

/** GETs the heartbeat path through `listener` with a deadline; resolves with the PID that answered, never rejects. */
export function probeHeartbeat(listener: Listener, timeoutMs: number): Promise<ProbeResult<number>> {
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
