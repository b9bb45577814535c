// Pure: the rolling-restart and pinned phases' results → the report's tables.
import type { PinnedResult } from '../phases/pool-pinned.js';
import type { RollingResult } from '../phases/rolling.js';
import type { Section } from './render.js';

const ms = (v: number | null) => (v === null ? null : v.toFixed(1));

/** Window p99 ÷ steady p99 (target ≤ 2), or null. */
export function windowOverSteady(windowP99: number | null, steadyP99: number | null): number | null {
  return windowP99 === null || steadyP99 === null || steadyP99 <= 0 ? null : windowP99 / steadyP99;
}

export function rollingSection(r: RollingResult): Section {
  return {
    title: `Rolling restart at a paced ${r.rate} req/s, application with ${r.startupMs} ms of synchronous start-up work (latency from when each request was due)`,
    headers: ['target', 'load', '#', 'steady p99 ms', 'window p99 ms', 'window max ms', 'p99 ÷ steady', 'restart ms', 'window ms', 'failed', 'slowest (ms @ due ms after the signal, served by, client late ms)'],
    rows: r.rows.map((x) => [
      x.target, x.mode, x.restart, ms(x.steadyP99Ms), ms(x.windowP99Ms), ms(x.windowMaxMs), windowOverSteady(x.windowP99Ms, x.steadyP99Ms)?.toFixed(1) ?? null,
      x.restartMs.toFixed(0), x.windowMs.toFixed(0), x.failed, x.slowest.slice(0, 3).map((s) => `${s.ms}@+${s.atMs} ${s.by} ${s.lagMs}`).join(', '),
    ]),
    note: 'window: from the restart signal (tripod: SIGUSR1 to the cop; cluster: a worker-by-worker reload) to 500 ms after the target is whole again (the last old server exited; tripod: its fresh standby ready); steady: the 2 s before the signal. Target: window p99 ≤ 2 × steady p99.',
  };
}

export function pinnedSection(p: PinnedResult): Section {
  const cpu = (v: number | null) => (v === null ? null : v.toFixed(1));
  return {
    title: `N = 1 against bare under wrk, server pinned to cpu 0 and wrk (1 thread, 50 connections) to cpu 1; ${p.runMs / 1000} s runs, rounds alternate`,
    headers: ['load', 'round', 'target', 'req/s', 'errors', 'CPU µs/req all', 'CPU µs/req server'],
    rows: p.skipped !== null ? [] : p.runs.map((r) => [r.mode, r.round, r.target, r.rps.toFixed(0), r.errors, cpu(r.cpuUsPerRequest), cpu(r.serverCpuUsPerRequest)]),
    note: p.skipped !== null ? `skipped: ${p.skipped}` : `tripod 1 ÷ bare, median of rounds: ${Object.entries(p.ratios).map(([m, v]) => `${m} ${v?.toFixed(3) ?? '–'}`).join(', ')} (target ≥ 0.97). tripod's cop and manager are not pinned; "all" counts them.`,
  };
}
