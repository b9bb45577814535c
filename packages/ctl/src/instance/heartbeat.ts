// The server heartbeat as ctl uses it: core's probe through a listener, with the PID that answered.
import { probeHeartbeat, type Listener } from '@tripod/core';

export type Heartbeat = { readonly ok: true; readonly pid: number; readonly ms: number } | { readonly ok: false; readonly error: string; readonly ms: number };

/** One heartbeat request with a deadline; never rejects. */
export async function heartbeat(listener: Listener, timeoutMs: number): Promise<Heartbeat> {
  const result = await probeHeartbeat(listener, timeoutMs);
  return result.ok ? { ok: true, pid: result.value, ms: result.ms } : result;
}
