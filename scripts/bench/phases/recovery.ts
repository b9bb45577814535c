// Phase 1: time from a fault to the first successful response, polled with a new connection every few ms.
// Tripod faults against the bare application killed and started again (its boot time is the floor).
import { performance } from 'node:perf_hooks';
import type { Counts, PollRecord, Progress, RecoveryResult, RecoverySample, Target, TripodTarget, PlainTarget } from '../lib/model.js';
import { startPoller } from '../lib/poller.js';
import { firstOffsets } from '../lib/timeline.js';

const FAULT_DEADLINE_MS = 30_000;

function countOutcomes(records: readonly PollRecord[]): Counts {
  const counts: Counts = {};
  for (const r of records) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  return counts;
}

/** One fault against `target` under the poller: first success, first success from a new process, what the poller saw. */
export async function measureOnce(target: Target, fault: string): Promise<RecoverySample> {
  await target.prepare(fault);
  const poller = startPoller({ port: target.port });
  try {
    await poller.waitFor('success before the fault', (r) => r.outcome === 'ok', 5000);
    const t0 = performance.now();
    const injected = target.inject(fault);
    const after = (r: PollRecord) => r.doneAt > t0;
    const first = await poller.waitFor('success after the fault', (r) => after(r) && r.outcome === 'ok', FAULT_DEADLINE_MS);
    const fresh = await poller.waitFor('success from a new process', (r) => after(r) && r.outcome === 'ok' && r.pid !== injected.servedBy, FAULT_DEADLINE_MS);
    await poller.stop();
    const window = poller.records.filter(after);
    await target.recover(injected);
    return {
      firstOkMs: first.doneAt - t0,
      newProcessMs: fresh.doneAt - t0,
      maxLatencyMs: Math.max(...window.map((r) => r.doneAt - r.sentAt)),
      counts: countOutcomes(window),
      offsets: target.logEvents ? firstOffsets(target.logEvents(), injected.at, Date.now()) : {},
    };
  } finally {
    await poller.stop();
  }
}

/** The scenarios of phase 1, in the order each round runs them. */
export function recoveryScenarios(tripod: TripodTarget, bare: PlainTarget): { name: string; label: string; target: Target; fault: string }[] {
  return [
    { name: 'bare-kill', label: 'bare app: SIGKILL + start again', target: bare, fault: 'bare-kill' },
    { name: 'server-kill', label: 'tripod: SIGKILL server', target: tripod, fault: 'server-kill' },
    { name: 'manager-kill', label: 'tripod: SIGKILL manager', target: tripod, fault: 'manager-kill' },
    { name: 'both-kill', label: 'tripod: SIGKILL manager+server', target: tripod, fault: 'both-kill' },
    { name: 'server-stop', label: 'tripod: SIGSTOP server', target: tripod, fault: 'server-stop' },
  ];
}

/**
 * Runs every scenario `repeat` times, interleaved (round by round); returns the samples per scenario.
 * The hang goes first in a round: the server is then already past the cop's start-up grace in round 1.
 */
export async function runRecovery({ tripod, bare, repeat, progress }: { tripod: TripodTarget; bare: PlainTarget; repeat: number; progress: Progress }): Promise<RecoveryResult[]> {
  const scenarios = recoveryScenarios(tripod, bare);
  const runOrder = [...scenarios.filter((s) => s.fault === 'server-stop'), ...scenarios.filter((s) => s.fault !== 'server-stop')];
  const samples: Record<string, RecoverySample[]> = Object.fromEntries(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < repeat; round++) {
    for (const s of runOrder) {
      const sample = await measureOnce(s.target, s.fault);
      samples[s.name]!.push(sample);
      progress(`recovery ${round + 1}/${repeat} ${s.name}: first ok ${sample.firstOkMs.toFixed(1)} ms, new process ${sample.newProcessMs.toFixed(1)} ms`);
    }
  }
  return scenarios.map((s) => ({ name: s.name, label: s.label, samples: samples[s.name]! }));
}
