// The cop's two heartbeats: a ping over the manager's control socket (its reply is core's wire
// contract), and (from core) a real HTTP request through the listening socket to the synthetic path.
import { controlCall, parsePingReply, type PingReply, type ProbeResult } from '@tripod/core';

/** Pings the manager; resolves with its reply or the reason it failed (a reply off the contract is a failure). */
export async function pingManager(socketPath: string, timeoutMs: number): Promise<ProbeResult<PingReply>> {
  const started = Date.now();
  try {
    const reply = await controlCall(socketPath, { cmd: 'ping' }, timeoutMs, parsePingReply);
    return { ok: true, value: reply, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, error: (err as Error).message, ms: Date.now() - started };
  }
}
