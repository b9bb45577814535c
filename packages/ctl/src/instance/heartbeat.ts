// The server heartbeat as ctl uses it: core's probe through a listener, with the PID that answered
// (the token it names, looked up among the instance's liveness sockets); for exec mode's keeper, its
// own answer instead (a foreign program cannot answer the synthetic path).
import { isKeeper, pidOfToken, probeHeartbeat, probeKeeper, type Listener } from '@tripod/core';

export type Heartbeat = { readonly ok: true; readonly pid: number; readonly ms: number } | { readonly ok: false; readonly error: string; readonly ms: number };

/** One heartbeat request with a deadline; never rejects. `serverPid`: the server.lock holder, asked directly when it is a keeper. */
export async function heartbeat(listener: Listener, timeoutMs: number, runtimeDir: string, serverPid: number | null = null): Promise<Heartbeat> {
  if (serverPid !== null && isKeeper(runtimeDir, serverPid)) {
    const kept = await probeKeeper(runtimeDir, serverPid, timeoutMs);
    return kept.ok ? { ok: true, pid: kept.value, ms: kept.ms } : kept;
  }
  const result = await probeHeartbeat(listener, timeoutMs);
  if (!result.ok) return result;
  const pid = pidOfToken(runtimeDir, result.value);
  return pid === null ? { ok: false, error: 'answered by a server that is not one of this instance', ms: result.ms } : { ok: true, pid, ms: result.ms };
}
