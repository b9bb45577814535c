// The rolling-restart phase: what clients see while every server is replaced, against an application
// with 50 ms of synchronous start-up work, at a paced 1000 req/s (keep-alive and a new connection per
// request). tripod with N = 1 and N = 2 (SIGUSR1 to the cop), and as reference Node's cluster module
// reloading worker by worker as PM2's cluster reload does. Starts its own targets and stops them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findSlotHolders, freePort, parseManagerStatus, readDocument, runtimePaths, waitFor } from '@tripod/core';
import { answeringPid } from '../lib/http-get.js';
import { cleanEnv } from '../lib/env.js';
import type { Progress } from '../lib/model.js';
import type { PacedSample } from '../lib/paced-client.js';
import { monotonicMs, startPacedProcess } from '../lib/paced-process.js';
import { exited, killGroup } from '../lib/plain.js';
import { isAlive } from '../lib/proc.js';
import { percentile } from '../lib/stats.js';
import { startTripod } from '../lib/tripod.js';

export const ROLLING_RATE = 1000;
const STEADY_MS = 3000;
/** The window of a restart runs from the signal to this long after the target is whole again (old servers gone, tripod's fresh standby ready). */
const TAIL_MS = 500;
const TARGETS = new URL('../targets/', import.meta.url).pathname;
const APP = new URL('../targets/slow-start-app.js', import.meta.url).pathname;

export interface RollingRow {
  readonly target: string;
  readonly mode: 'keep-alive' | 'new';
  readonly restart: number;
  readonly steadyP99Ms: number | null;
  readonly windowP99Ms: number | null;
  readonly windowMaxMs: number | null;
  /** Signal → the last old server gone. */
  readonly restartMs: number;
  readonly windowMs: number;
  readonly requests: number;
  readonly failed: number;
  /** The slowest requests of the window: due ms after the signal, latency, how late the client itself sent it, the PID that answered (old or new). */
  readonly slowest: readonly { readonly atMs: number; readonly ms: number; readonly lagMs: number; readonly by: 'old' | 'new' | 'failed' }[];
}

export interface RollingResult {
  readonly rate: number;
  readonly startupMs: number;
  readonly rows: RollingRow[];
}

interface RollingTarget {
  readonly name: string;
  readonly port: number;
  /** Every PID serving now (a tripod standby included). */
  pids(): number[];
  /** Restarts every server; resolves once the old ones are gone. */
  restart(): Promise<void>;
  /** Resolves once the target is whole again after a restart (tripod: a fresh standby ready). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

async function clusterTarget(workers: number): Promise<RollingTarget> {
  const port = await freePort();
  const child = spawn(process.execPath, [`${TARGETS}cluster-reload.js`, String(port)], { env: { ...cleanEnv(), BENCH_CLUSTER_WORKERS: String(workers) }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const workerPids = () => {
    try {
      return readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  await waitFor(`cluster ${workers} answering`, async () => workerPids().length >= workers && (await answeringPid(port, '/', 1000)) !== null, 10_000, 10);
  return {
    name: `cluster ${workers}`,
    port,
    pids: workerPids,
    async restart() {
      const before = out.split('\n').length;
      process.kill(child.pid!, 'SIGUSR2');
      await waitFor('cluster reloaded', () => out.split('\n').length > before, 30_000, 5);
    },
    settled: async () => undefined,
    async stop() {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited(child);
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
    },
  };
}

async function tripodTarget(servers: number, copArgs: readonly string[]): Promise<RollingTarget> {
  const t = await startTripod(['--servers', String(servers), ...copArgs], APP);
  const standby = !copArgs.includes('--no-standby');
  const paths = runtimePaths(t.dir);
  const status = () => readDocument(paths.statusFile, parseManagerStatus);
  const steady = () => {
    const s = status();
    return s !== null && s.phase === 'serving' && s.rollingRestart === null && findSlotHolders(t.dir).length === servers && (!standby || s.servers.some((x) => x.role === 'standby' && x.standbyReady));
  };
  await waitFor(`tripod ${servers} serving with a ready standby`, steady, 30_000, 20).catch(async (err) => {
    await t.stop();
    throw err;
  });
  const pids = () => (status()?.servers ?? []).map((s) => s.pid).filter((p): p is number => p !== null);
  let old: number[] = [];
  return {
    name: `tripod ${servers}`,
    port: t.port,
    pids,
    async restart() {
      old = pids();
      process.kill(t.cop.pid!, 'SIGUSR1');
      await waitFor('rolling restart done', () => {
        const s = status();
        return s !== null && s.rollingRestart === null && findSlotHolders(t.dir).every((h) => !old.includes(h.pid)) && !old.some(isAlive);
      }, 30_000, 5);
    },
    async settled() {
      if (!standby) return;
      await waitFor('a fresh standby ready', () => status()?.servers.some((x) => x.role === 'standby' && x.standbyReady && x.pid !== null && !old.includes(x.pid)) ?? false, 30_000, 5);
    },
    stop: () => t.stop(),
  };
}

/** One restart under paced load: steady p99 before the signal, p99 and max from the signal to TAIL_MS after the restart ended. */
async function measureRestart(t: RollingTarget, mode: 'keep-alive' | 'new', restart: number): Promise<RollingRow> {
  const old = new Set(t.pids());
  const run = await startPacedProcess({ port: t.port, rate: ROLLING_RATE, keepAlive: mode === 'keep-alive' });
  await new Promise((r) => setTimeout(r, STEADY_MS));
  const signalAt = monotonicMs();
  await t.restart();
  const doneAt = monotonicMs();
  await t.settled();
  const settledAt = monotonicMs();
  await new Promise((r) => setTimeout(r, TAIL_MS + 500));
  const samples = await run.stop();
  const windowEnd = settledAt + TAIL_MS;
  const steady = samples.filter((s) => s.dueAt >= signalAt - STEADY_MS + 1000 && s.dueAt < signalAt);
  const inWindow = samples.filter((s) => s.dueAt >= signalAt && s.dueAt < windowEnd);
  const lat = (list: PacedSample[]) => list.map((s) => s.latencyMs);
  const slowest = [...inWindow].sort((a, b) => (b.latencyMs ?? Infinity) - (a.latencyMs ?? Infinity)).slice(0, 5);
  return {
    target: t.name,
    mode,
    restart,
    steadyP99Ms: percentile(lat(steady), 99),
    windowP99Ms: percentile(lat(inWindow), 99),
    windowMaxMs: percentile(lat(inWindow), 100),
    restartMs: doneAt - signalAt,
    windowMs: windowEnd - signalAt,
    requests: samples.length,
    failed: samples.filter((s) => s.latencyMs === null || s.outcome !== '200').length,
    slowest: slowest.map((s) => ({ atMs: Math.round(s.dueAt - signalAt), ms: Number((s.latencyMs ?? -1).toFixed(1)), lagMs: Number(s.clientLagMs.toFixed(1)), by: s.latencyMs === null ? 'failed' : s.pid !== null && old.has(s.pid) ? 'old' : 'new' })),
  };
}

/** Runs the rolling-restart phase: each target alone, `repeat` restarts per load mode; `copArgs` go to tripod's cops (experiments). */
export async function runRolling({ repeat, copArgs, progress }: { repeat: number; copArgs: readonly string[]; progress: Progress }): Promise<RollingResult> {
  const rows: RollingRow[] = [];
  const starts: [string, () => Promise<RollingTarget>][] = [['cluster 1', () => clusterTarget(1)], ['tripod 1', () => tripodTarget(1, copArgs)], ['cluster 2', () => clusterTarget(2)], ['tripod 2', () => tripodTarget(2, copArgs)]];
  // BENCH_ROLLING_TARGETS=tripod (a substring) measures only the matching targets, for experiments.
  const only = process.env.BENCH_ROLLING_TARGETS ?? '';
  for (const [name, start] of starts) {
    if (!name.includes(only)) continue;
    const t = await start();
    try {
      for (const mode of ['keep-alive', 'new'] as const) {
        for (let i = 1; i <= repeat; i++) {
          const row = await measureRestart(t, mode, i);
          rows.push(row);
          progress(`rolling: ${t.name} ${mode} #${i}: steady p99 ${row.steadyP99Ms?.toFixed(1)} ms, window p99 ${row.windowP99Ms?.toFixed(1)} max ${row.windowMaxMs?.toFixed(1)} ms over ${row.windowMs.toFixed(0)} ms, ${row.failed} failed; slowest ${row.slowest.map((s) => `${s.ms}@+${s.atMs}(${s.by}, client late ${s.lagMs})`).join(' ')}`);
        }
      }
    } finally {
      await t.stop();
    }
  }
  return { rate: ROLLING_RATE, startupMs: Number(process.env.BENCH_STARTUP_MS ?? 50), rows };
}
