// The cop's two heartbeats: a ping over the manager's control socket, and (from core) a real HTTP
// request through the listening socket to the synthetic path, checked against the server's PID.
import { controlRequest, type ProbeResult } from '@tripod/core';

export interface PingReply {
  readonly pid: number;
  readonly serverExpected: boolean;
  readonly serverPid: number | null;
}

/** Pings the manager; resolves with its reply or the reason it failed. */
export async function pingManager(socketPath: string, timeoutMs: number): Promise<ProbeResult<PingReply>> {
  const started = Date.now();
  try {
    const reply = (await controlRequest(socketPath, { cmd: 'ping' }, timeoutMs)) as PingReply;
    return { ok: true, value: reply, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, error: (err as Error).message, ms: Date.now() - started };
  }
}
