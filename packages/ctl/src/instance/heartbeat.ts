// The server heartbeat as ctl reports it: core's probeServing (the synthetic path through a listener, or
// exec mode's keeper asked directly), with the PID that answered.
import { probeServing, type Listener } from '@tripod/core';

export type Heartbeat = { readonly ok: true; readonly pid: number; readonly ms: number } | { readonly ok: false; readonly error: string; readonly ms: number };

/** One heartbeat request with a deadline; never rejects. `serverPid`: the server.lock holder, asked directly when it is a keeper. */
export async function heartbeat(listener: Listener, timeoutMs: number, runtimeDir: string, serverPid: number | null = null): Promise<Heartbeat> {
  const result = await probeServing(listener, timeoutMs, runtimeDir, serverPid);
  return result.ok ? { ok: true, pid: result.value, ms: result.ms } : result;
}
