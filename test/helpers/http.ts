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
  // A token is one server's for life: once mapped, no more lookups.
  const known = pidByToken.get(beat.value);
  if (known !== undefined) return known;
  const tried = new Set<string>();
  // The directories seen last time first: the /proc scan is only needed for an instance not seen yet.
  for (const dirs of [() => knownDirs, scanAtMostEvery500Ms]) {
    for (const dir of dirs()) {
      if (tried.has(dir)) continue;
      tried.add(dir);
      knownDirs.add(dir);
      const pid = pidOfToken(dir, beat.value);
      if (pid !== null) {
        pidByToken.set(beat.value, pid);
        return pid;
      }
    }
  }
  return null;
}

const knownDirs = new Set<string>();
let lastScanAt = 0;

/** The /proc scan is costly on a loaded machine: a caller polling for a server not up yet scans twice a second at most. */
function scanAtMostEvery500Ms(): Set<string> {
  if (Date.now() - lastScanAt < 500) return new Set();
  lastScanAt = Date.now();
  return serverRuntimeDirs();
}
const pidByToken = new Map<string, number>();
