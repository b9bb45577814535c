// Pure: the pool phase's results → the report's tables (throughput with the ratios the issue sets,
// balance over the servers of a pool, RSS of every process of each target).
import type { PoolResult, PoolRow } from '../phases/pool.js';
import type { Section } from './render.js';

const COLUMNS = [['node', 'keep-alive'], ['node', 'new'], ['wrk', 'keep-alive'], ['wrk', 'new']] as const;

function rowOf(rows: readonly PoolRow[], target: string, client: string, mode: string): PoolRow | undefined {
  return rows.find((r) => r.target === target && r.client === client && r.mode === mode);
}

const rate = (r: PoolRow | undefined): string | null => (r === undefined ? null : r.skipped !== null ? 'skipped' : r.rps === null ? null : `${r.rps.toFixed(0)}${r.failed ? ` (${r.failed} failed)` : ''}`);
const cpu = (r: PoolRow | undefined): string | null => (r?.cpuUsPerRequest == null ? null : r.cpuUsPerRequest.toFixed(1));

/** `a` ÷ `b` req/s in one column, two decimals, or null. */
function ratioOf(rows: readonly PoolRow[], a: string, b: string, client: string, mode: string): string | null {
  const x = rowOf(rows, a, client, mode)?.rps;
  const y = rowOf(rows, b, client, mode)?.rps;
  return x && y ? (x / y).toFixed(2) : null;
}

/** The busiest server's share over the fair share (total ÷ servers): 1.00 is perfect balance. */
export function maxOverFair(perServer: readonly number[]): number | null {
  const total = perServer.reduce((a, b) => a + b, 0);
  if (perServer.length === 0 || total <= 0 || perServer.some((n) => !Number.isFinite(n))) return null;
  return Math.max(...perServer) / (total / perServer.length);
}

export function poolSections(pool: PoolResult): Section[] {
  const targets = [...new Set(pool.rows.map((r) => r.target))];
  const skipped = pool.rows.find((r) => r.skipped !== null)?.skipped ?? null;
  const throughput: Section = {
    title: `Pool throughput, req/s at ${pool.connections} connections, ${pool.runMs / 1000} s per run (node = the bench's own client, wrk = wrk; new = a new connection per request)`,
    headers: ['target', ...COLUMNS.map(([c, m]) => `${c} ${m}`)],
    rows: targets.map((t) => [t, ...COLUMNS.map(([c, m]) => rate(rowOf(pool.rows, t, c, m)))]),
    note: skipped !== null ? `wrk rows skipped: ${skipped}` : `wrk: ${pool.wrk}`,
  };
  const cpuTable: Section = {
    title: 'Pool CPU per request, µs (utime + stime of every process of the target over each run ÷ its requests; tripod: cop, manager, servers, standby)',
    headers: ['target', ...COLUMNS.map(([c, m]) => `${c} ${m}`)],
    rows: targets.map((t) => [t, ...COLUMNS.map(([c, m]) => cpu(rowOf(pool.rows, t, c, m)))]),
  };
  const pairs = [['tripod 1', 'bare'], ['tripod 1', 'cluster 1'], ['tripod 2', 'cluster 2'], ['tripod 2', 'tripod 1']] as const;
  const ratios: Section = {
    title: 'Pool throughput ratios (targets: N = 2 ≥ 1.0 × cluster keep-alive and ≥ 1.5 × cluster new; N = 1 ≥ 0.97 × bare under wrk)',
    headers: ['ratio', ...COLUMNS.map(([c, m]) => `${c} ${m}`)],
    rows: pairs.map(([a, b]) => [`${a} ÷ ${b}`, ...COLUMNS.map(([c, m]) => ratioOf(pool.rows, a, b, c, m))]),
  };
  const balance: Section = {
    title: 'Pool balance: application requests each server of the pool completed during each run',
    headers: ['target', 'client', 'mode', 'per server (slot 0 + 1 …)', 'max ÷ fair'],
    rows: pool.balance.filter((b) => b.perServer.length > 1).map((b) => [b.target, b.client, b.mode, b.perServer.join(' + '), maxOverFair(b.perServer)?.toFixed(2) ?? null]),
    note: 'target ≤ 1.5 × the fair share',
  };
  const mib = (kib: number | null) => (kib === null ? null : (kib / 1024).toFixed(1));
  const supervision = (t: string) => pool.rss.filter((p) => p.target === t && (p.process === 'cop' || p.process === 'manager'));
  const rss: Section = {
    title: 'Pool RSS of every process, MiB (after the runs)',
    headers: ['target', 'process', 'PID', 'RSS MiB'],
    rows: [
      ...pool.rss.map((p) => [p.target, p.process, p.pid, mib(p.rssKiB)]),
      ...targets.filter((t) => t.startsWith('tripod')).map((t) => [t, 'cop + manager', null, mib(supervision(t).reduce((a, p) => a + (p.rssKiB ?? 0), 0))]),
    ],
    note: `kills the cops decided during the phase (no fault injected): ${JSON.stringify(pool.kills)}`,
  };
  return [throughput, ratios, cpuTable, balance, rss];
}
