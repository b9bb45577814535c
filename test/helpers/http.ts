import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { parseEnviron, pidOfToken, probeHeartbeat } from '@tripod/core';

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

/** The runtime directories of every tripod server this user runs (a server's working directory is its runtime directory). */
function serverRuntimeDirs(): Set<string> {
  const dirs = new Set<string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (parseEnviron(readFileSync(`/proc/${name}/environ`, 'utf8')).get('TRIPOD_TIER') === 'server') dirs.add(readlinkSync(`/proc/${name}/cwd`));
    } catch {
      // gone, or not ours
    }
  }
  return dirs;
}

/**
 * The PID of the server answering the heartbeat on `port`, or null. The heartbeat names the server's
 * token, not its PID; the token is looked up among the liveness sockets of the servers this user runs.
 */
export async function servingPid(port: number): Promise<number | null> {
  const beat = await probeHeartbeat({ host: '127.0.0.1', port }, 2000);
  if (!beat.ok) return null;
  const tried = new Set<string>();
  // The directories seen last time first: the /proc scan is only needed for an instance not seen yet.
  for (const dirs of [() => knownDirs, serverRuntimeDirs]) {
    for (const dir of dirs()) {
      if (tried.has(dir)) continue;
      tried.add(dir);
      knownDirs.add(dir);
      const pid = await pidOfToken(dir, beat.value, 1000);
      if (pid !== null) return pid;
    }
  }
  return null;
}

const knownDirs = new Set<string>();
