// The proof probe (I/O around proof.ts): connect through the listening port, wait until some process
// accepts, and say whether it was one of the program's processes; in http mode also require a 2xx/3xx.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import type { Listener } from '@tripod/core/config/config';
import type { ReadyMode } from '@tripod/core/exec/exec-config';
import { probeHost } from '@tripod/core/heartbeat';
import { readStat } from '@tripod/core/proc/read';
import { processTree } from '@tripod/core/proc/tree';
import { findAcceptedInode, httpStatusOk, isWaitingForConnections, settleProof, socketInode, type ProofOutcome } from './proof.js';

const POLL_MS = 5;
/**
 * The longest pause between two reads of /proc/net/tcp while the probe waits in the accept queue. A
 * busy host's table holds thousands of rows (TIME_WAIT): one read costs 20–70 ms of CPU here, and a probe
 * waiting behind an overloaded program's queue must not take the CPU that program needs.
 */
const MAX_POLL_MS = 100;

export interface ProofTarget {
  readonly listener: Listener;
  readonly ready: ReadyMode;
  /** The program's PID: it and its descendants count as "ours". */
  readonly rootPid: number;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The PID among `pids` that has socket `inode` open, or null. */
export function holderOfSocket(pids: readonly number[], inode: number): number | null {
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (socketInode(readlinkSync(`/proc/${pid}/fd/${fd}`)) === inode) return pid;
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One probe connection; never rejects. */
export function proveOnce(target: ProofTarget, timeoutMs: number): Promise<ProofOutcome> {
  const { listener, ready } = target;
  const host = probeHost(listener);
  const table = host.includes(':') ? '/proc/net/tcp6' : '/proc/net/tcp';
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    let settled = false;
    let head = '';
    let acceptedBy: number | null = null;
    const socket: Socket = connect({ host, port: listener.port });
    const finish = (outcome: ProofOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(acceptedBy === null ? { result: 'failed', error: `not accepted within ${timeoutMs} ms`, queued: true } : { result: 'failed', error: `no HTTP answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on('error', (err) => finish({ result: 'failed', error: (err as NodeJS.ErrnoException).code ?? err.message }));
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const ok = httpStatusOk(head);
      if (ok === null || acceptedBy === null) return;
      finish(ok ? { result: 'proven', pid: acceptedBy } : { result: 'failed', error: `answered ${JSON.stringify(head.split('\r\n')[0]?.slice(0, 60))}` });
    });
    socket.on('connect', async () => {
      const clientPort = socket.localPort!;
      let pause = POLL_MS;
      while (!settled && Date.now() < deadline) {
        // Read off the event loop: a table of tens of thousands of rows takes 100 ms and more to generate.
        const inode = findAcceptedInode(await readFile(table, 'utf8').catch(() => ''), listener.port, clientPort);
        if (inode !== null && inode > 0) {
          const pid = holderOfSocket(processTree(target.rootPid), inode);
          if (pid === null) {
            // Accepted, but not (yet) seen among ours: an fd appears right after accept(), so look twice.
            await sleep(POLL_MS);
            const again = holderOfSocket(processTree(target.rootPid), inode);
            if (again === null) return finish({ result: 'elsewhere' });
            acceptedBy = again;
          } else acceptedBy = pid;
          if (ready.kind !== 'http') return finish({ result: 'proven', pid: acceptedBy });
          // The request goes only after the accept is proven: a quick answer and close would otherwise
          // take the server side's row (and its inode) away before it was seen.
          socket.write(`GET ${ready.path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: tripod-keeper\r\nConnection: close\r\n\r\n`);
          return; // the data handler finishes once the status line is in
        }
        if (inode === null && socket.destroyed) return;
        await sleep(pause);
        pause = Math.min(MAX_POLL_MS, pause * 2);
      }
    });
  });
}

/** Probes until one connection proves the program answers, or fails, or the time is up (connections taken by another process are retried: 'elsewhere' when all were). */
export async function prove(target: ProofTarget, timeoutMs: number): Promise<ProofOutcome> {
  const deadline = Date.now() + timeoutMs;
  let last: ProofOutcome = { result: 'failed', error: 'no attempt' };
  let sawElsewhere = false;
  while (Date.now() < deadline) {
    last = await proveOnce(target, Math.max(10, deadline - Date.now()));
    if (last.result !== 'elsewhere') return settleProof(last, sawElsewhere);
    sawElsewhere = true;
  }
  return last;
}

/**
 * True when a process of the program's tree sleeps waiting for connections. In a pool every member
 * accepts on the same socket, and a busy member wins every race for the proof connection against an
 * idle one: a proof that only reached others ('elsewhere') then still shows progress if the program
 * waits for connections (docs/exec.md).
 */
export function waitsForConnections(root: number): boolean {
  return processTree(root).some((pid) => isWaitingForConnections(readStat(pid)?.state, readOr(`/proc/${pid}/wchan`)));
}
