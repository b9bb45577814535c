// Phase: overload. A handler that spends 20 ms of CPU per request, under more keep-alive clients than one
// core can serve, bare and under tripod (defaults), at a few load levels: failed requests, max latency,
// kills, and the event-loop lag tripod reported. One extra run with --kill-on-slow-ms shows what a
// heartbeat-timeout watchdog does to the same load (issue 13).
import { spawn, type ChildProcess } from 'node:child_process';
import { startLoad } from '@tripod/chaos';
import { freePort, parseCopStatus, readDocument, runtimePaths, waitFor } from '@tripod/core';
import { cleanEnv } from '../lib/env.js';
import { httpGet } from '../lib/http-get.js';
import type { OverloadRow, Progress } from '../lib/model.js';
import { startTripod } from '../lib/tripod.js';

const CPU_APP = new URL('../targets/cpu-heavy.js', import.meta.url).pathname;
const REQUEST_TIMEOUT_MS = 30_000;
/** Keep-alive clients at each load level: about 0.3, 1.3 and 2.6 s of CPU asked for per round of requests. */
export const OVERLOAD_LEVELS: readonly number[] = [16, 64, 128];
/** The opt-in kill-on-slow run, for comparison: twice the default heartbeat deadline. */
export const KILL_ON_SLOW_MS = 2000;


async function bareRun(clients: number, windowMs: number): Promise<OverloadRow> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [CPU_APP, String(port)], { env: cleanEnv(), stdio: 'ignore' });
  try {
    await waitFor('the bare cpu-heavy app answering', () => httpGet(port, '/', 1000).then((r) => r.status === 200, () => false), 10_000, 20);
    const s = await startLoad({ port, keepAliveWorkers: clients, newConnectionWorkers: 0, durationMs: windowMs, timeoutMs: REQUEST_TIMEOUT_MS }).done;
    return { target: 'bare', clients, total: s.total, ok: s.counts.ok, failed: s.total - s.counts.ok, counts: s.counts, maxMs: s.maxMs, kills: null, maxLagMs: null, verdicts: [], killOnSlowMs: null };
  } finally {
    child.kill('SIGKILL');
  }
}

async function tripodRun(clients: number, windowMs: number, killOnSlow: boolean): Promise<OverloadRow> {
  const extra = killOnSlow ? ['--kill-on-slow-ms', String(KILL_ON_SLOW_MS)] : [];
  const tripod = await startTripod(['--app', CPU_APP, ...extra]);
  try {
    await tripod.prepare('server-stop'); // past the start-up grace, warm standby ready
    const copFile = runtimePaths(tripod.dir).copStatusFile;
    const kills = () => Object.values(readDocument(copFile, parseCopStatus)?.kills ?? {}).reduce((n, byCause) => n + Object.values(byCause).reduce((a, b) => a + b, 0), 0);
    const killsBefore = kills();
    const verdicts = new Set<string>();
    let maxLagMs = 0;
    const sampler = setInterval(() => {
      const server = readDocument(copFile, parseCopStatus)?.server;
      if (server) verdicts.add(server.verdict);
      maxLagMs = Math.max(maxLagMs, server?.liveness?.lagMs ?? 0);
    }, 250);
    const s = await startLoad({ port: tripod.port, keepAliveWorkers: clients, newConnectionWorkers: 0, durationMs: windowMs, timeoutMs: REQUEST_TIMEOUT_MS }).done;
    clearInterval(sampler);
    return {
      target: killOnSlow ? 'tripod-kill-on-slow' : 'tripod', clients, total: s.total, ok: s.counts.ok, failed: s.total - s.counts.ok, counts: s.counts, maxMs: s.maxMs,
      kills: kills() - killsBefore, maxLagMs: Math.round(maxLagMs), verdicts: [...verdicts], killOnSlowMs: killOnSlow ? KILL_ON_SLOW_MS : null,
    };
  } finally {
    await tripod.stop();
  }
}

/** Each load level bare then under tripod; the kill-on-slow run at the middle level. */
export async function runOverload({ levels, windowMs, progress }: { levels: readonly number[]; windowMs: number; progress: Progress }): Promise<OverloadRow[]> {
  const rows: OverloadRow[] = [];
  for (const clients of levels) {
    for (const run of ['bare', 'tripod'] as const) {
      progress(`overload: ${run}, ${clients} keep-alive clients, ${windowMs} ms`);
      rows.push(run === 'bare' ? await bareRun(clients, windowMs) : await tripodRun(clients, windowMs, false));
    }
  }
  const middle = levels[Math.floor(levels.length / 2)]!;
  progress(`overload: tripod --kill-on-slow-ms ${KILL_ON_SLOW_MS}, ${middle} keep-alive clients, ${windowMs} ms`);
  rows.push(await tripodRun(middle, windowMs, true));
  return rows;
}
