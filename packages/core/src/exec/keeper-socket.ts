// The client side of the keeper's liveness socket (contract: wire/keeper.ts): the cop, ctl and chaos
// ask a keeper (exec mode's server tier) whether its program still answers, instead of sending the Node
// host's synthetic heartbeat, which a foreign program cannot answer.
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { servingPid, type HeartbeatTarget, type ProbeResult } from '../heartbeat.js';
import { findLockHolder } from '../lock/probe.js';
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
export function probeKeeper(runtimeDir: string, pid: number, timeoutMs: number): Promise<ProbeResult<number>> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let buffer = '';
    const socket = createConnection(keeperSocketPath(runtimeDir, pid));
    const finish = (result: { ok: true; value: number } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...result, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish({ ok: false, error: `keeper ${pid} did not answer within ${timeoutMs} ms` }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(formatKeeperLine({ version: KEEPER_VERSION, timeoutMs: Math.max(10, timeoutMs - 100) })));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const parsed = parseKeeperAnswer(buffer.slice(0, nl));
      if (!parsed.ok) return finish({ ok: false, error: parsed.error.message });
      const answer = parsed.value;
      if (answer.ok) finish({ ok: true, value: answer.pid });
      else finish({ ok: false, error: `keeper ${pid}: program ${answer.programPid ?? '?'} ${answer.error ?? 'not answering'}` });
    });
    socket.on('error', (err) => finish({ ok: false, error: (err as NodeJS.ErrnoException).code ?? err.message }));
  });
}

/**
 * The PID of the server that serves right now, seen from outside: when the first slot's holder
 * (server.lock) is a keeper, the keeper's PID once it proved its program accepts through the listening
 * socket; otherwise the server whose token answers the synthetic heartbeat through `target`. Null when
 * nothing answers in time.
 */
export async function servingServerPid(target: HeartbeatTarget, timeoutMs: number, runtimeDir: string): Promise<number | null> {
  const holder = findLockHolder(serverLockPath(runtimeDir, 0));
  if (holder !== null && isKeeper(runtimeDir, holder)) {
    const result = await probeKeeper(runtimeDir, holder, timeoutMs);
    return result.ok ? result.value : null;
  }
  return servingPid(target, timeoutMs, runtimeDir);
}
