// Accept-queue depth of each listener, from the LISTEN rows of /proc/net/tcp{,6}.
import { readFileSync } from 'node:fs';
import type { Listener } from './config/config.js';
import type { ListenRow } from './proc/net-tcp.js';
import { readListenRows } from './proc/read.js';
import type { ListenerStatus } from './wire/manager-status.js';


function sameAddress(row: ListenRow, host: string): boolean {
  if (row.address === host) return true;
  if (host === 'localhost') return row.address === '127.0.0.1' || row.address === '::1';
  return false;
}

/** The kernel's cap on any listen backlog (net.core.somaxconn), or null when unreadable. */
export function readSomaxconn(): number | null {
  try {
    const n = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** The queue of each configured listener, matched by address and port. */
export function queueDepths(listeners: readonly Listener[], backlog: number, rows: readonly ListenRow[] = readListenRows(), somaxconn: number | null = readSomaxconn()): ListenerStatus[] {
  const effective = somaxconn === null ? backlog : Math.min(backlog, somaxconn);
  return listeners.map((l) => {
    const row = rows.find((r) => r.port === l.port && sameAddress(r, l.host));
    return { host: l.host, port: l.port, queued: row ? row.queued : null, backlog: effective };
  });
}
