// `tripod status` as people read it: a headline, one row per process, the listeners.
import { duration, table } from '../output.js';
import type { ServerLoad, StatusReport, TierRow } from './model.js';

const dash = (v: string | number | null): string => (v === null ? '-' : String(v));

function heartbeat(row: TierRow): string {
  if (row.heartbeatMs === null) return '-';
  return `${row.heartbeatMs} ms${row.heartbeatFrom === 'cop' ? ' (cop)' : ''}`;
}

/** The report as text. */
export function renderStatus(r: StatusReport): string {
  const lines = [`tripod ${r.runtimeDir}${r.instance ? ` (instance ${r.instance})` : ''}: ${r.health}`];
  for (const reason of r.reasons) lines.push(`  - ${reason}`);
  if (r.rows.length > 0) {
    lines.push('');
    const header = ['TIER', 'PID', 'STATE', 'UPTIME', 'RESTARTS', 'LAST EXIT', 'HEARTBEAT', 'BACKOFF'];
    const body = r.rows.map((row) => [row.tier, dash(row.pid), row.state, duration(row.uptimeSeconds), dash(row.restarts), dash(row.lastExit), heartbeat(row), dash(row.backoff)]);
    lines.push(table([header, ...body]));
  }
  const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
  const loadText = (l: ServerLoad) => `${l.verdict}; event-loop lag ${ms(l.lagMs)}, ${l.inflight ?? '-'} in flight (oldest ${ms(l.oldestInflightMs)}), last progress ${ms(l.progressAgeMs)} ago`;
  if (r.slotLoads && r.slotLoads.length > 0) {
    lines.push('', ...r.slotLoads.map((l) => `slot ${l.slot} load (PID ${l.pid}): ${loadText(l)}`));
  } else if (r.load) lines.push('', `server load: ${loadText(r.load)}`);
  if (r.listeners.length > 0) {
    lines.push('');
    lines.push(table([['LISTENER', 'QUEUED', 'BACKLOG'], ...r.listeners.map((l) => [l.listener, l.queued === null ? 'not listening' : String(l.queued), String(l.backlog)])]));
  }
  if (r.notes.length > 0) lines.push('', ...r.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}
