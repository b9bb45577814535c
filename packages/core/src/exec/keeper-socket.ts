// The client side of the keeper's liveness socket (contract: wire/keeper.ts): the cop, ctl and chaos
// ask a keeper (exec mode's server tier) whether its program still answers, instead of sending the Node
// host's synthetic heartbeat, which a foreign program cannot answer.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { probeHeartbeat, type HeartbeatTarget, type ProbeResult } from '../heartbeat.js';
import { pidOfToken } from '../liveness/whose-token.js';
import { findLockHolder } from '../lock/probe.js';
import { askLine } from '../net/ask-line.js';
import { serverLockPath } from '../pool/slots.js';
import { formatKeeperLine, KEEPER_VERSION, parseKeeperAnswer } from '../wire/keeper.js';

/** Where keeper `pid` listens in `runtimeDir`. */
export function keeperSocketPath(runtimeDir: string, pid: number): string {
  return join(runtimeDir, `exec-${pid}.sock`);
}

/** True when the server-tier process `pid` is a keeper (it has a liveness socket). */
export function isKeeper(runtimeDir: string, pid: number): boolean {
  return existsSync(keeperSocketPath(runtimeDir, pid));
}

/** Asks keeper `pid` with a deadline; resolves with the keeper's PID when its program answered, never rejects. */
export async function probeKeeper(runtimeDir: string, pid: number, timeoutMs: number): Promise<ProbeResult<number>> {
  const request = formatKeeperLine({ version: KEEPER_VERSION, timeoutMs: Math.max(10, timeoutMs - 100) });
  const answer = await askLine(keeperSocketPath(runtimeDir, pid), { request, timeoutMs });
  if (!answer.ok) {
    const error = answer.kind === 'error' ? answer.code : answer.kind === 'timeout' ? `keeper ${pid} did not answer within ${timeoutMs} ms` : `keeper ${pid} closed without answering`;
    return { ok: false, error, ms: answer.ms };
  }
  const parsed = parseKeeperAnswer(answer.line);
  if (!parsed.ok) return { ok: false, error: parsed.error.message, ms: answer.ms };
  const reply = parsed.value;
  if (reply.ok) return { ok: true, value: reply.pid, ms: answer.ms };
  return { ok: false, error: `keeper ${pid}: program ${reply.programPid ?? '?'} ${reply.error ?? 'not answering'}`, ms: answer.ms };
}

/**
 * Which server answers right now, seen from outside: when `holder` (the first slot's lock holder) is a
 * keeper, the keeper's PID once it proved its program accepts through the listening socket; otherwise
 * the server whose token answers the synthetic heartbeat through `target`. Never rejects.
 */
export async function probeServing(target: HeartbeatTarget, timeoutMs: number, runtimeDir: string, holder: number | null): Promise<ProbeResult<number>> {
  if (holder !== null && isKeeper(runtimeDir, holder)) return probeKeeper(runtimeDir, holder, timeoutMs);
  const result = await probeHeartbeat(target, timeoutMs);
  if (!result.ok) return result;
  const pid = pidOfToken(runtimeDir, result.value);
  return pid === null ? { ok: false, error: 'answered by a server that is not one of this instance', ms: result.ms } : { ok: true, value: pid, ms: result.ms };
}

/** The PID of the server that serves right now (probeServing for the first slot's holder), or null when nothing answers in time. */
export async function servingServerPid(target: HeartbeatTarget, timeoutMs: number, runtimeDir: string): Promise<number | null> {
  const result = await probeServing(target, timeoutMs, runtimeDir, findLockHolder(serverLockPath(runtimeDir, 0)));
  return result.ok ? result.value : null;
}
