// Which server answered a heartbeat: the one of the runtime directory whose token file (written by the
// server before it listens, owner-only, beside its liveness socket) holds the token the heartbeat named.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { livenessDir, pidOfTokenFile } from './socket-path.js';

/** The PID of the server of `runtimeDir` whose token is `token`, or null. */
export function pidOfToken(runtimeDir: string, token: string): number | null {
  const dir = livenessDir(runtimeDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names) {
    const pid = pidOfTokenFile(name);
    if (pid === null) continue;
    try {
      if (readFileSync(join(dir, name), 'utf8') === token) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return null;
}
