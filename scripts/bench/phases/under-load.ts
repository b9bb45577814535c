// Phase 2: what clients see during each fault and during a graceful restart, under new-connection load
// and, separately, keep-alive load: refused / reset / timed-out / 5xx / other failures and max latency.
import { startLoad } from '@tripod/chaos';
import type { LoadResult, PlainTarget, Progress, Target, TripodTarget, Injected } from '../lib/model.js';
import { sleep } from '@tripod/core';

/** Load before the first fault and after the last recovery, so the window shows the steady state too. */
const LEAD_MS = 500;
const TAIL_MS = 500;
const LOAD_BOUND_MS = 180_000;
const REQUEST_TIMEOUT_MS = 10_000;

export const LOAD_MODES = Object.freeze(['new', 'keep-alive']);

/** In run order: the hang right after a window without a fault, so the server has had time to age. */
interface Scenario {
  readonly name: string;
  readonly label: string;
  readonly target: Target;
  readonly fault: string | null;
}

function scenarios(tripod: TripodTarget, bare: PlainTarget): Scenario[] {
  return [
    { name: 'bare-none', label: 'bare app: no fault', target: bare, fault: null },
    { name: 'bare-kill', label: 'bare app: SIGKILL + start again', target: bare, fault: 'bare-kill' },
    { name: 'tripod-none', label: 'tripod: no fault', target: tripod, fault: null },
    { name: 'server-stop', label: 'tripod: SIGSTOP server', target: tripod, fault: 'server-stop' },
    { name: 'server-kill', label: 'tripod: SIGKILL server', target: tripod, fault: 'server-kill' },
    { name: 'manager-kill', label: 'tripod: SIGKILL manager', target: tripod, fault: 'manager-kill' },
    { name: 'both-kill', label: 'tripod: SIGKILL manager+server', target: tripod, fault: 'both-kill' },
    { name: 'graceful-restart', label: 'tripod: graceful restart (SIGUSR1)', target: tripod, fault: 'graceful-restart' },
  ];
}

/** One load window with `faults` faults in it; returns the client-side tally. */
async function window(s: Scenario, mode: string, faults: number, workers: number): Promise<LoadResult> {
  if (s.fault) await s.target.prepare(s.fault);
  else await s.target.waitStable();
  const load = startLoad({
    port: s.target.port,
    newConnectionWorkers: mode === 'new' ? workers : 0,
    keepAliveWorkers: mode === 'keep-alive' ? workers : 0,
    durationMs: LOAD_BOUND_MS,
    maxRequests: 10_000_000,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  const started = Date.now();
  await sleep(LEAD_MS);
  const injected: Injected[] = [];
  for (let i = 0; s.fault && i < faults; i++) {
    if (i > 0) await s.target.prepare(s.fault);
    const fault = s.target.inject(s.fault);
    injected.push(fault);
    await s.target.recover(fault);
  }
  await sleep(TAIL_MS);
  load.stop();
  const summary = await load.done;
  return { name: s.name, label: s.label, mode, faults: injected.length, windowMs: Date.now() - started, total: summary.total, counts: summary.counts, maxMs: summary.maxMs };
}

/** Every scenario under each load mode. */
export async function runUnderLoad({ tripod, bare, faultsPerWindow, loadWorkers, progress }: { tripod: TripodTarget; bare: PlainTarget; faultsPerWindow: number; loadWorkers: number; progress: Progress }): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const mode of LOAD_MODES) {
    for (const s of scenarios(tripod, bare)) {
      const r = await window(s, mode, faultsPerWindow, loadWorkers);
      results.push(r);
      const failures = r.total - r.counts.ok;
      progress(`load ${mode} ${s.name}: ${r.total} requests, ${failures} failed (refused ${r.counts.refused}, reset ${r.counts.reset}), max ${r.maxMs} ms`);
    }
  }
  return results;
}
