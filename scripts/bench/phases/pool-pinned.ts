// The pool phase's pinned comparison (issue 9: "N = 1 ≥ 0.97 × bare measured with wrk at 50
// connections, server pinned to one core and wrk to the other"): the bare application and tripod
// --servers 1 side by side, their serving processes (every thread) pinned to cpu 0 with taskset, wrk
// pinned to cpu 1; tripod's cop and manager stay where a user would leave them (unpinned). Rounds
// alternate which target goes first; each round gives a tripod ÷ bare ratio.
import { spawnSync } from 'node:child_process';
import type { Progress } from '../lib/model.js';
import { median } from '../lib/stats.js';
import { runWrk, wrkVersion } from '../lib/wrk.js';
import { cpuPerRequest, plainTarget, POOL_CONNECTIONS, targetTicks, tripodTarget, type PoolTarget } from './pool.js';

export const SERVER_CPU = 0;
export const WRK_CPU = 1;

export interface PinnedRun {
  readonly target: 'bare' | 'tripod 1';
  readonly mode: 'new' | 'keep-alive';
  readonly round: number;
  readonly rps: number;
  readonly errors: number;
  /** CPU of every process of the target (tripod: cop and manager too) ÷ requests, µs. */
  readonly cpuUsPerRequest: number | null;
  /** CPU of the pinned serving processes only ÷ requests, µs. */
  readonly serverCpuUsPerRequest: number | null;
}

export interface PinnedResult {
  readonly skipped: string | null;
  readonly runMs: number;
  readonly runs: PinnedRun[];
  /** Median over rounds of tripod ÷ bare req/s, per mode. */
  readonly ratios: Record<string, number | null>;
}

/** The target's serving processes (what is pinned): the bare app; tripod's slot servers and standby. */
function servingOf(t: PoolTarget): PoolTarget {
  return { ...t, processes: () => t.processes().filter((p) => p.name !== 'cop' && p.name !== 'manager') };
}

function pin(t: PoolTarget, cpu: number): void {
  for (const p of servingOf(t).processes()) {
    const r = spawnSync('taskset', ['-a', '-pc', String(cpu), String(p.pid)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`taskset -a -pc ${cpu} ${p.pid} (${t.name} ${p.name}) failed: ${r.stderr || r.error?.message}`);
  }
}

/** Runs `rounds` alternating rounds per mode. */
export async function runPinned({ runMs, rounds, progress }: { runMs: number; rounds: number; progress: Progress }): Promise<PinnedResult> {
  const cores = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim();
  const skipped = wrkVersion() === null ? 'wrk is not installed' : spawnSync('taskset', ['-V']).status !== 0 ? 'taskset is not installed (util-linux)' : Number(cores) < 2 ? 'fewer than 2 cores' : null;
  if (skipped !== null) return { skipped, runMs, runs: [], ratios: {} };
  const bare = await plainTarget('bare', 1);
  const runs: PinnedRun[] = [];
  try {
    const tripod = await tripodTarget(1);
    try {
      const targets = { bare, 'tripod 1': tripod } as const;
      for (const t of [bare, tripod]) pin(t, SERVER_CPU);
      for (const mode of ['new', 'keep-alive'] as const) {
        for (const t of [bare, tripod]) await runWrk({ port: t.port, connections: POOL_CONNECTIONS, durationMs: 1000, close: mode === 'new', threads: 1, cpu: WRK_CPU });
        for (let round = 1; round <= rounds; round++) {
          const order = round % 2 === 1 ? (['bare', 'tripod 1'] as const) : (['tripod 1', 'bare'] as const);
          for (const name of order) {
            const t = targets[name];
            const all = targetTicks(t);
            const serving = targetTicks(servingOf(t));
            const r = await runWrk({ port: t.port, connections: POOL_CONNECTIONS, durationMs: runMs, close: mode === 'new', threads: 1, cpu: WRK_CPU });
            const run: PinnedRun = { target: name, mode, round, rps: r.rps, errors: r.errors, cpuUsPerRequest: cpuPerRequest(t, all, r.requests), serverCpuUsPerRequest: cpuPerRequest(servingOf(t), serving, r.requests) };
            runs.push(run);
            progress(`pool pinned: ${name} ${mode} round ${round}: ${r.rps.toFixed(0)} req/s, ${run.cpuUsPerRequest?.toFixed(1)} µs CPU/req (server ${run.serverCpuUsPerRequest?.toFixed(1)})${r.errors ? `, ${r.errors} errors` : ''}`);
          }
        }
      }
    } finally {
      await tripod.stop();
    }
  } finally {
    await bare.stop();
  }
  const ratios: Record<string, number | null> = {};
  for (const mode of ['new', 'keep-alive']) {
    const per = runs.filter((r) => r.mode === mode && r.target === 'bare').map((b) => {
      const t = runs.find((r) => r.mode === mode && r.target === 'tripod 1' && r.round === b.round);
      return t ? t.rps / b.rps : null;
    });
    ratios[mode] = median(per);
  }
  return { skipped, runMs, runs, ratios };
}
