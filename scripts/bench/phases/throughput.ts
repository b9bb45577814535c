// Phase 3: steady-state throughput and p99 latency of tripod, the bare application and cluster (1 worker),
// with the lean closed-loop client; runs interleaved round by round (order rotated each round). Beside
// req/s, the CPU time the target's processes spent per request (utime+stime from /proc): on a shared,
// noisy machine that is the steadier measure of what each request costs.
import { runClosedLoop, type ClosedLoopResult } from '../lib/lean-client.js';
import type { Progress, ThroughputRun } from '../lib/model.js';
import { clockTicks, cpuTicks } from '../lib/proc.js';
import { percentile } from '../lib/stats.js';

export const THROUGHPUT_MODES = Object.freeze(['keep-alive', 'new']);
const WARMUP_MS = 1000;

/** `items` rotated left by `n`: round 0 A B C, round 1 B C A, round 2 C A B. */
export function rotate<T>(items: readonly T[], n: number): T[] {
  const k = n % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** CPU ms of each process over `run()`; keyed by role (`serving`, `cop`, …). */
type Processes = Record<string, number | null | undefined>;

/** A target of the throughput phase: its port and the PIDs whose CPU counts (`serving` first). */
export interface ThroughputTarget {
  readonly name: string;
  readonly port: number;
  processes(): Promise<Processes>;
}

async function cpuDuring(processes: Processes, ticksPerS: number, run: () => Promise<ClosedLoopResult>): Promise<{ result: ClosedLoopResult; cpu: Record<string, number | null> }> {
  const before: Record<string, number | null> = Object.fromEntries(Object.entries(processes).map(([role, pid]) => [role, cpuTicks(pid)]));
  const result = await run();
  // A process that vanished during the run (or changed: a tier replaced) leaves its CPU unknown (null).
  const cpu = Object.fromEntries(Object.entries(processes).map(([role, pid]) => {
    const after = cpuTicks(pid);
    const start = before[role] ?? null;
    return [role, after === null || start === null || after < start ? null : ((after - start) * 1000) / ticksPerS];
  }));
  return { result, cpu };
}

const perRequestText = (ms: number | null | undefined, ok: number): string => (ms === null || ms === undefined || ok === 0 ? '?' : ((ms * 1000) / ok).toFixed(0));

async function measure(target: ThroughputTarget, mode: string, connections: number, durationMs: number, ticksPerS: number): Promise<Omit<ThroughputRun, 'round' | 'mode' | 'target'>> {
  const processes = await target.processes();
  const { result: r, cpu } = await cpuDuring(processes, ticksPerS, () => runClosedLoop({ port: target.port, connections, durationMs, keepAlive: mode === 'keep-alive' }));
  const cpuMs = Object.values(cpu).some((v) => v === null) ? null : Object.values(cpu).reduce<number>((a, b) => a + (b ?? 0), 0);
  return { rps: (r.ok / r.elapsedMs) * 1000, p99Ms: percentile(r.latencies, 99), ok: r.ok, failed: r.failed, cpuMs, servingCpuMs: cpu.serving, cpu, processes };
}

/** `targets`: `[{ name, port, processes() }]`, processes() → `{ serving: pid, …others }`. One row per (round, mode, target). */
export async function runThroughput({ targets, rounds, roundMs, connections, progress }: { targets: readonly ThroughputTarget[]; rounds: number; roundMs: number; connections: number; progress: Progress }): Promise<ThroughputRun[]> {
  const ticksPerS = clockTicks();
  for (const mode of THROUGHPUT_MODES) for (const t of targets) await measure(t, mode, connections, WARMUP_MS, ticksPerS);
  const runs: ThroughputRun[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const mode of THROUGHPUT_MODES) {
      for (const t of rotate(targets, round)) {
        const m = await measure(t, mode, connections, roundMs, ticksPerS);
        runs.push({ round, mode, target: t.name, ...m });
        progress(`throughput ${round + 1}/${rounds} ${mode} ${t.name}: ${m.rps.toFixed(0)} req/s, p99 ${m.p99Ms?.toFixed(2)} ms, CPU/request ${perRequestText(m.servingCpuMs, m.ok)} µs serving, ${perRequestText(m.cpuMs, m.ok)} µs all${m.failed ? `, ${m.failed} failed` : ''}`);
      }
    }
  }
  return runs;
}
