// The server heartbeat as ctl uses it: core's probe through a listener, with the PID that answered; for
// exec mode's keeper, its liveness answer instead (a foreign program cannot answer the synthetic path).
import { isKeeper, probeHeartbeat, probeKeeper, type Listener } from '@tripod/core';

export type Heartbeat = { readonly ok: true; readonly pid: number; readonly ms: number } | { readonly ok: false; readonly error: string; readonly ms: number };

/** One heartbeat request with a deadline; never rejects. `server`: the server.lock holder, asked directly when it is a keeper. */
export async function heartbeat(listener: Listener, timeoutMs: number, server?: { runtimeDir: string; pid: number | null }): Promise<Heartbeat> {
  const keeper = server && server.pid !== null && isKeeper(server.runtimeDir, server.pid) ? server.pid : null;
  const result = keeper !== null ? await probeKeeper(server!.runtimeDir, keeper, timeoutMs) : await probeHeartbeat(listener, timeoutMs);
  return result.ok ? { ok: true, pid: result.value, ms: result.ms } : result;
}
