// The server heartbeat as ctl sees it: GET /_tripod/heartbeat through a listener, body names the PID.
import { request } from 'node:http';
import type { Listener } from '@tripod/core';

export const HEARTBEAT_PATH = '/_tripod/heartbeat';

export type Heartbeat = { readonly ok: true; readonly pid: number; readonly ms: number } | { readonly ok: false; readonly error: string; readonly ms: number };

/** Where to connect for a listener: wildcard addresses are reached over loopback. */
export function connectHost(listener: Listener): string {
  if (listener.host === '0.0.0.0') return '127.0.0.1';
  if (listener.host === '::') return '::1';
  return listener.host;
}

/** One heartbeat request with a deadline; never rejects. */
export function heartbeat(listener: Listener, timeoutMs: number): Promise<Heartbeat> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: { ok: true; pid: number } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, ms: Date.now() - started });
    };
    const req = request({ host: connectHost(listener), port: listener.port, path: HEARTBEAT_PATH, agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const match = /^tripod-server pid=(\d+)/.exec(body);
        if (res.statusCode === 200 && match) finish({ ok: true, pid: Number(match[1]) });
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
