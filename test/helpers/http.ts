import { request } from 'node:http';
import { servingPid as heartbeatPid } from '@tripod/core';

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** One GET on a new connection; rejects with the socket error (its `code` tells refused from reset). */
export function httpGet(port: number, path = '/', host = '127.0.0.1', timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** The PID a heartbeat answer names, or null when the server did not answer. */
export function servingPid(port: number): Promise<number | null> {
  return heartbeatPid({ host: '127.0.0.1', port }, 2000);
}
