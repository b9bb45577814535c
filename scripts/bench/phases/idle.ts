// Phase 4: idle CPU (utime+stime over a window, from /proc/PID/stat) and RSS (VmRSS) of the tiers,
// next to the bare application and a bare idle node process.
import type { IdleResult } from '../lib/model.js';
import { clockTicks, cpuTicks, procNetTcpLines, rssKiB } from '../lib/proc.js';
import { sleep } from '@tripod/core';

/** `processes`: `[{ name, pid }]`, all sampled over the same window. */
export async function runIdle({ processes, idleMs }: { processes: readonly { name: string; pid: number | null | undefined }[]; idleMs: number }): Promise<IdleResult[]> {
  const ticks = clockTicks();
  const before = processes.map((p) => cpuTicks(p.pid));
  const started = Date.now();
  await sleep(idleMs);
  const seconds = (Date.now() - started) / 1000;
  const sockets = procNetTcpLines();
  return processes.map((p, i) => {
    const after = cpuTicks(p.pid);
    const start = before[i];
    const used = after === null || start === null || start === undefined ? null : (after - start) / ticks;
    return { name: p.name, pid: p.pid, cpuPercent: used === null ? null : (100 * used) / seconds, cpuMs: used === null ? null : used * 1000, windowS: seconds, procNetTcpLines: sockets, rssMiB: (rssKiB(p.pid) ?? NaN) / 1024 };
  });
}
