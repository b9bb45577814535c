// The harness's own heartbeat through the listening socket: which server PID answers, if any.
import { request } from 'node:http';

export const HEARTBEAT_PATH = '/_tripod/heartbeat';

/** GETs the heartbeat path on a new connection; the PID the answer names, or null (no answer in time, or not a server). */
export function heartbeat(host: string, port: number, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (pid: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(pid);
    };
    const req = request({ host, port, path: HEARTBEAT_PATH, agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk.slice(0, 200)));
      res.on('end', () => {
        const match = /^tripod-server pid=(\d+)/.exec(body);
        finish(res.statusCode === 200 && match ? Number(match[1]) : null);
      });
      res.on('error', () => finish(null));
    });
    const timer = setTimeout(() => {
      finish(null);
      req.destroy();
    }, timeoutMs);
    req.on('error', () => finish(null));
    req.end();
  });
}
