// One GET on a new connection: status, body and the PID the body names (the bench app and the
// heartbeat both say `pid=N`). Rejects with the socket error.
import { request } from 'node:http';

/** The PID named by `pid=N` in `body`, or null. */
export function pidIn(body: string): number | null {
  const match = /pid=(\d+)/.exec(body);
  return match ? Number(match[1]) : null;
}

export interface BenchReply {
  readonly status: number;
  readonly body: string;
  readonly pid: number | null;
}

export function httpGet(port: number, path = '/', timeoutMs = 2000): Promise<BenchReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, pid: pidIn(body) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** The PID that answered `path` with 200, or null when nothing answered. */
export async function answeringPid(port: number, path = '/', timeoutMs = 2000): Promise<number | null> {
  try {
    const reply = await httpGet(port, path, timeoutMs);
    return reply.status === 200 ? reply.pid : null;
  } catch {
    return null;
  }
}
