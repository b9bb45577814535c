// Which server answered a heartbeat: the one of the runtime directory whose liveness socket reports
// the token the heartbeat named. Only the instance's user can ask (the sockets are owner-only).
import { readdirSync } from 'node:fs';
import { probeLiveness } from './probe.js';
import { livenessDir, livenessSocketPath, pidOfLivenessSocket } from './socket-path.js';

/** The PID of the server of `runtimeDir` whose token is `token`, or null. */
export async function pidOfToken(runtimeDir: string, token: string, timeoutMs: number): Promise<number | null> {
  let names: string[];
  try {
    names = readdirSync(livenessDir(runtimeDir));
  } catch {
    return null;
  }
  const pids = names.map(pidOfLivenessSocket).filter((pid): pid is number => pid !== null);
  const reports = await Promise.all(pids.map((pid) => probeLiveness(livenessSocketPath(runtimeDir, pid), timeoutMs)));
  const match = reports.find((r, i) => r.ok && r.value.token === token && r.value.pid === pids[i]);
  return match?.ok ? match.value.pid : null;
}
