// The pool phase: throughput of tripod with N = 1 and N = 2 servers against the bare application and
// Node's cluster module with the same number of workers, keep-alive and a new connection per request,
// with the bench's own client and with wrk (when installed); CPU per request of every process of each
// target; how requests spread over the servers of the pool; the RSS of every process of each target.
// Starts its own targets and stops them.
import { readFileSync } from 'node:fs';
import { findLockHolder, findSlotHolders, livenessSocketPath, parseManagerStatus, probeLiveness, readDocument, readJsonFile, runtimePaths, waitFor } from '@tripod/core';
import { runClosedLoop } from '../lib/lean-client.js';
import type { Progress } from '../lib/model.js';
import { startPlain } from '../lib/plain.js';
import { clockTicks, cpuTicks, rssKiB } from '../lib/proc.js';
import { percentile } from '../lib/stats.js';
import { startTripod } from '../lib/tripod.js';
import { runWrk, wrkVersion } from '../lib/wrk.js';

export const POOL_CONNECTIONS = 50;
export const POOL_MODES = Object.freeze(['keep-alive', 'new'] as const);
type Mode = (typeof POOL_MODES)[number];

export interface PoolRow {
  readonly target: string;
  readonly client: 'node' | 'wrk';
  readonly mode: Mode;
  readonly rps: number | null;
  readonly p99Ms: number | null;
  readonly failed: number;
  /** CPU (utime + stime from /proc) of every process of the target over the run ÷ requests, µs. */
  readonly cpuUsPerRequest: number | null;
  /** Why the row has no figures (wrk missing). */
  readonly skipped: string | null;
}

export interface PoolBalance {
  readonly target: string;
  readonly client: 'node' | 'wrk';
  readonly mode: Mode;
  /** Application requests each server completed during the run, by slot. */
  readonly perServer: readonly number[];
}

export interface PoolRss {
  readonly target: string;
  readonly process: string;
  readonly pid: number;
  readonly rssKiB: number | null;
}

export interface PoolResult {
  readonly connections: number;
  readonly runMs: number;
  readonly wrk: string;
  readonly rows: PoolRow[];
  readonly balance: PoolBalance[];
  readonly rss: PoolRss[];
  /** Kills the cops decided during the phase (no fault is injected: any is a false alarm). */
  readonly kills: Record<string, unknown>;
}

export interface PoolTarget {
  readonly name: string;
  readonly port: number;
  /** The processes of the target, named, for RSS. */
  processes(): { name: string; pid: number }[];
  /** Completed requests per server (tripod only), for the balance. */
  completed?(): Promise<number[]>;
  stop(): Promise<void>;
}

function childrenOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function plainTarget(kind: 'bare' | 'cluster', workers: number): Promise<PoolTarget> {
  const saved = process.env.BENCH_CLUSTER_WORKERS;
  process.env.BENCH_CLUSTER_WORKERS = String(workers);
  const t = await startPlain(kind).finally(() => {
    if (saved === undefined) delete process.env.BENCH_CLUSTER_WORKERS;
    else process.env.BENCH_CLUSTER_WORKERS = saved;
  });
  const name = kind === 'bare' ? 'bare' : `cluster ${workers}`;
  if (kind === 'cluster') await waitFor(`${workers} cluster workers`, () => childrenOf(t.pid).length >= workers, 10_000, 50);
  return {
    name,
    port: t.port,
    processes: () => (kind === 'bare' ? [{ name: 'bare app', pid: t.pid! }] : [{ name: 'primary', pid: t.pid! }, ...childrenOf(t.pid).map((pid, i) => ({ name: `worker ${i + 1}`, pid }))]),
    stop: () => t.stop(),
  };
}

export async function tripodTarget(servers: number): Promise<PoolTarget> {
  const t = await startTripod(['--servers', String(servers)]);
  const paths = runtimePaths(t.dir);
  const status = () => readDocument(paths.statusFile, parseManagerStatus);
  try {
    await waitFor(`tripod pool of ${servers} serving with a ready standby`, () => {
      const s = status();
      return s !== null && s.phase === 'serving' && findSlotHolders(t.dir).length === servers && s.servers.some((x) => x.role === 'standby' && x.standbyReady);
    }, 30_000, 50);
  } catch (err) {
    await t.stop();
    throw err;
  }
  const holders = () => findSlotHolders(t.dir).sort((a, b) => a.slot - b.slot);
  return {
    name: `tripod ${servers}`,
    port: t.port,
    processes: () => {
      const standby = status()?.servers.find((x) => x.role === 'standby')?.pid ?? null;
      const list = [{ name: 'cop', pid: t.cop.pid! }, { name: 'manager', pid: findLockHolder(paths.lockFile('manager'))! }];
      for (const h of holders()) list.push({ name: `server slot ${h.slot}`, pid: h.pid });
      if (standby !== null) list.push({ name: 'standby', pid: standby });
      return list.filter((p) => p.pid !== null && p.pid !== undefined);
    },
    async completed() {
      const reports = await Promise.all(holders().map((h) => probeLiveness(livenessSocketPath(t.dir, h.pid), 1000)));
      return reports.map((r) => (r.ok ? r.value.completed : NaN));
    },
    async stop() {
      kills[`tripod ${servers}`] = readJsonFile<{ kills?: unknown }>(paths.copStatusFile)?.kills ?? null;
      await t.stop();
    },
  };
}

const kills: Record<string, unknown> = {};

const TICK_US = 1_000_000 / clockTicks();

/** utime + stime of every process of `t` now, in clock ticks (a process gone since counts 0). */
export function targetTicks(t: PoolTarget): Map<number, number> {
  return new Map(t.processes().map((p) => [p.pid, cpuTicks(p.pid) ?? 0]));
}

/** CPU µs the processes of `before` (and any new ones) used since, per request. */
export function cpuPerRequest(t: PoolTarget, before: Map<number, number>, requests: number): number | null {
  if (requests <= 0) return null;
  let ticks = 0;
  for (const [pid, now] of targetTicks(t)) ticks += now - (before.get(pid) ?? 0);
  return (ticks * TICK_US) / requests;
}

async function measure(t: PoolTarget, client: 'node' | 'wrk', mode: Mode, runMs: number): Promise<{ row: PoolRow; balance: PoolBalance | null }> {
  const before = t.completed ? await t.completed() : null;
  const ticks = targetTicks(t);
  let requests: number;
  let rps: number;
  let p99Ms: number | null;
  let failed: number;
  if (client === 'wrk') {
    const r = await runWrk({ port: t.port, connections: POOL_CONNECTIONS, durationMs: runMs, close: mode === 'new' });
    ({ rps, p99Ms, requests } = r);
    failed = r.errors;
  } else {
    const r = await runClosedLoop({ port: t.port, connections: POOL_CONNECTIONS, durationMs: runMs, keepAlive: mode === 'keep-alive' });
    rps = (r.ok / r.elapsedMs) * 1000;
    p99Ms = percentile(r.latencies, 99);
    failed = r.failed;
    requests = r.ok + r.failed;
  }
  const cpuUsPerRequest = cpuPerRequest(t, ticks, requests);
  const after = t.completed ? await t.completed() : null;
  const balance = before && after && before.length === after.length ? { target: t.name, client, mode, perServer: after.map((a, i) => a - before[i]!) } : null;
  return { row: { target: t.name, client, mode, rps, p99Ms, failed, cpuUsPerRequest, skipped: null }, balance };
}

/** Runs the pool phase: each target started alone (the others stopped), so they do not share the 2 cores' idle time. */
export async function runPool({ runMs, progress }: { runMs: number; progress: Progress }): Promise<PoolResult> {
  const wrk = wrkVersion();
  const skipWrk = wrk === null ? 'wrk is not installed (apt-get install -y wrk)' : null;
  const rows: PoolRow[] = [];
  const balance: PoolBalance[] = [];
  const rss: PoolRss[] = [];
  const starts: (() => Promise<PoolTarget>)[] = [() => plainTarget('bare', 1), () => plainTarget('cluster', 1), () => tripodTarget(1), () => plainTarget('cluster', 2), () => tripodTarget(2)];
  for (const start of starts) {
    const t = await start();
    try {
      progress(`pool: ${t.name} on port ${t.port}`);
      // Warm up both paths first (JIT, the standby, connection pools).
      for (const mode of POOL_MODES) await runClosedLoop({ port: t.port, connections: POOL_CONNECTIONS, durationMs: 1000, keepAlive: mode === 'keep-alive' });
      for (const mode of POOL_MODES) {
        for (const client of ['node', 'wrk'] as const) {
          if (client === 'wrk' && skipWrk !== null) {
            rows.push({ target: t.name, client, mode, rps: null, p99Ms: null, failed: 0, cpuUsPerRequest: null, skipped: skipWrk });
            continue;
          }
          const m = await measure(t, client, mode, runMs);
          rows.push(m.row);
          if (m.balance) balance.push(m.balance);
          progress(`pool: ${t.name} ${client} ${mode}: ${m.row.rps?.toFixed(0)} req/s, p99 ${m.row.p99Ms?.toFixed(2)} ms, ${m.row.cpuUsPerRequest?.toFixed(1)} µs CPU/req${m.row.failed ? `, ${m.row.failed} failed` : ''}${m.balance ? `, per server ${m.balance.perServer.join(' + ')}` : ''}`);
        }
      }
      for (const p of t.processes()) rss.push({ target: t.name, process: p.name, pid: p.pid, rssKiB: rssKiB(p.pid) });
    } finally {
      await t.stop();
    }
  }
  return { connections: POOL_CONNECTIONS, runMs, wrk: wrk ?? `skipped: ${skipWrk}`, rows, balance, rss, kills: { ...kills } };
}
