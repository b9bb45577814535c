// The cop's two heartbeats: a ping over the manager's control socket (its reply is core's wire
// contract), and (from core) a real HTTP request through the listening socket to the synthetic path.
// Also the one request the cop makes of the manager: replace a server it is about to kill.
import { controlCall } from '@tripod/core/control/client';
import type { ProbeResult } from '@tripod/core/heartbeat';
import { parseAcceptedReply, parsePingReply, type PingReply } from '@tripod/core/wire/control';

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

/**
 * Asks the manager to start the successor of a server the cop is about to kill (`server-replace`):
 * the slot is served again while the wedged one is still being killed. Null when accepted, else why not.
 */
export async function askReplace(socketPath: string, pid: number, reason: string, timeoutMs: number): Promise<string | null> {
  try {
    await controlCall(socketPath, { cmd: 'server-replace', args: { pid, reason } }, timeoutMs, parseAcceptedReply);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
