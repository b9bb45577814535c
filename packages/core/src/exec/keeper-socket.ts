// The keeper's liveness socket: the cop asks a keeper (exec mode's server tier) whether its program
// still answers, instead of sending the Node host's synthetic heartbeat, which a foreign program cannot
// answer. One JSON request line, one JSON answer line. Both sides use this file.
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { servingPid, type HeartbeatTarget, type ProbeResult } from '../heartbeat.js';
import { findLockHolder } from '../lock/probe.js';

/** Where keeper `pid` listens in `runtimeDir`. */
export function keeperSocketPath(runtimeDir: string, pid: number): string {
  return join(runtimeDir, `exec-${pid}.sock`);
}

/** True when the server-tier process `pid` is a keeper (it has a liveness socket). */
export function isKeeper(runtimeDir: string, pid: number): boolean {
  return existsSync(keeperSocketPath(runtimeDir, pid));
}

export interface KeeperRequest {
  readonly v: 1;
  /** How long the keeper may take to prove its program answers. */
  readonly timeoutMs: number;
}

export interface KeeperAnswer {
  readonly v: 1;
  /** The keeper's PID (the server.lock holder). */
  readonly pid: number;
  readonly programPid: number | null;
  readonly ok: boolean;
  readonly error: string | null;
  /** How the answer was proven: a probe accepted by the program, or a recent WATCHDOG=1. */
  readonly via: 'probe' | 'watchdog' | 'draining' | null;
  /** When the program last showed progress (ms since the epoch), or null. */
  readonly progressAt: number | null;
}

/** Untrusted text → a KeeperAnswer, or null. */
export function parseKeeperAnswer(text: string): KeeperAnswer | null {
  try {
    const value = JSON.parse(text) as Partial<KeeperAnswer>;
    if (value?.v !== 1 || typeof value.pid !== 'number' || typeof value.ok !== 'boolean') return null;
    return {
      v: 1, pid: value.pid, ok: value.ok,
      programPid: typeof value.programPid === 'number' ? value.programPid : null,
      error: typeof value.error === 'string' ? value.error : null,
      via: value.via === 'probe' || value.via === 'watchdog' || value.via === 'draining' ? value.via : null,
      progressAt: typeof value.progressAt === 'number' ? value.progressAt : null,
    };
  } catch {
    return null;
  }
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
    socket.on('connect', () => socket.write(`${JSON.stringify({ v: 1, timeoutMs: Math.max(10, timeoutMs - 100) } satisfies KeeperRequest)}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const answer = parseKeeperAnswer(buffer.slice(0, nl));
      if (answer === null) finish({ ok: false, error: 'keeper sent something that is not an answer' });
      else if (answer.ok) finish({ ok: true, value: answer.pid });
      else finish({ ok: false, error: `keeper ${pid}: program ${answer.programPid ?? '?'} ${answer.error ?? 'not answering'}` });
    });
    socket.on('error', (err) => finish({ ok: false, error: (err as NodeJS.ErrnoException).code ?? err.message }));
  });
}

/**
 * The PID of the server that serves right now, seen from outside: when server.lock's holder is a keeper,
 * the keeper's PID once it proved its program accepts through the listening socket; otherwise whoever
 * answers the synthetic heartbeat through `target`. Null when nothing answers in time.
 */
export async function servingServerPid(target: HeartbeatTarget, serverLock: string, timeoutMs: number): Promise<number | null> {
  const holder = findLockHolder(serverLock);
  const runtimeDir = dirname(serverLock);
  if (holder !== null && isKeeper(runtimeDir, holder)) {
    const result = await probeKeeper(runtimeDir, holder, timeoutMs);
    return result.ok ? result.value : null;
  }
  return servingPid(target, timeoutMs);
}
