// `tripod status` as people read it: a headline, one row per process, the listeners.
import { duration, table } from '../output.js';
import type { StatusReport, TierRow } from './model.js';

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
  if (r.load) {
    const { verdict, lagMs, inflight, oldestInflightMs, progressAgeMs } = r.load;
    const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
    lines.push('', `server load: ${verdict}; event-loop lag ${ms(lagMs)}, ${inflight ?? '-'} in flight (oldest ${ms(oldestInflightMs)}), last progress ${ms(progressAgeMs)} ago`);
  }
  if (r.listeners.length > 0) {
    lines.push('');
    lines.push(table([['LISTENER', 'QUEUED', 'BACKLOG'], ...r.listeners.map((l) => [l.listener, l.queued === null ? 'not listening' : String(l.queued), String(l.backlog)])]));
  }
  if (r.notes.length > 0) lines.push('', ...r.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}
