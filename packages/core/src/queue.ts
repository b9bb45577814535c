// Accept-queue depth of each listener, from the LISTEN rows of /proc/net/tcp{,6}.
import { readFileSync } from 'node:fs';
import type { Listener } from './config/config.js';
import type { ListenRow } from './proc/net-tcp.js';
import { readListenRows, type TcpTable } from './proc/read.js';
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

/** The /proc/net tables that can hold these listeners' rows. */
export function tablesFor(listeners: readonly Listener[]): TcpTable[] {
  const tables = new Set<TcpTable>();
  for (const l of listeners) {
    if (l.host === 'localhost') tables.add('tcp').add('tcp6');
    else tables.add(l.host.includes(':') ? 'tcp6' : 'tcp');
  }
  return [...tables];
}

/** The queue of each configured listener, matched by address and port. */
export function queueDepths(listeners: readonly Listener[], backlog: number, rows: readonly ListenRow[] = readListenRows(tablesFor(listeners)), somaxconn: number | null = readSomaxconn()): ListenerStatus[] {
  const effective = somaxconn === null ? backlog : Math.min(backlog, somaxconn);
  return listeners.map((l) => {
    const row = rows.find((r) => r.port === l.port && sameAddress(r, l.host));
    return { host: l.host, port: l.port, queued: row ? row.queued : null, backlog: effective };
  });
}

/** How long a read of /proc/net/tcp serves status and metrics requests. */
export const QUEUE_CACHE_MS = 1000;

/**
 * queueDepths, read at most once per `maxAgeMs`: /proc/net/tcp grows with every connection on the host
 * and is read synchronously, so a client asking for status in a loop must not re-read it each time.
 */
export function cachedQueueDepths(maxAgeMs: number = QUEUE_CACHE_MS, now: () => number = Date.now): (listeners: readonly Listener[], backlog: number) => ListenerStatus[] {
  let cached: { key: string; at: number; value: ListenerStatus[] } | null = null;
  return (listeners, backlog) => {
    const key = JSON.stringify([listeners, backlog]);
    const t = now();
    if (cached === null || cached.key !== key || t - cached.at >= maxAgeMs) cached = { key, at: t, value: queueDepths(listeners, backlog) };
    return cached.value;
  };
}
