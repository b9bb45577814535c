// Runs the schedule: one fault at a time (the next waits until the previous one is repaired or its
// bound passed, so each failure belongs to one fault), targets from the lock holders, a record each.
import { servingServerPid, waitUntil } from '@tripod/core';
import { isHeld, isPlannedStop } from '../faults/fault.js';
import { startLoad, type RequestRecord } from '../load/client.js';
import type { Phase } from '../analysis/sample.js';
import type { ChaosEvent, FaultRecord, FaultTarget } from '../report/model.js';
import type { PlannedFault } from '../schedule/schedule.js';
import { holdThenContinue, resolveTargets, sendFault, type TargetContext } from './injector.js';
import { HEARTBEAT_TIMEOUT_MS, watchFault, type HealthContext } from './recovery.js';

export interface FaultLoopContext {
  readonly health: HealthContext;
  readonly targets: TargetContext;
  /** Wall-clock ms of the first ready: schedule times count from here. */
  readonly origin: number;
  /** No fault is injected after this (wall clock). */
  readonly lastInjectAt: number;
  readonly recoveryBoundMs: number;
  readonly repairBoundMs: number;
  /** An overload fault's burst; its requests are recorded with the campaign's own. */
  readonly overload: { readonly path: string; readonly clients: number; readonly timeoutMs: number; onRecord(r: RequestRecord): void };
  aborted(): boolean;
  onPhase(phase: Phase, fault: number | null): void;
  onEvent(event: ChaosEvent): void;
  onFault(record: FaultRecord): void;
}

async function sleepUntil(at: number, aborted: () => boolean): Promise<void> {
  await waitUntil(() => Date.now() >= at, { timeoutMs: Math.max(0, at - Date.now()), intervalMs: 100, aborted });
}

function skipped(planned: PlannedFault, scheduledAt: number, note: string): FaultRecord {
  return {
    index: planned.index, tier: planned.tier, kind: planned.kind, holdMs: planned.holdMs, planned: isPlannedStop(planned), scheduledAt,
    injectedAt: null, recoveredAt: null, recoveryMs: null, repairedAt: null, repairMs: null, endedAt: null, outcome: 'skipped',
    targets: [], servedBefore: null, servedAfter: null, note,
  };
}

async function runOne(planned: PlannedFault, ctx: FaultLoopContext): Promise<FaultRecord> {
  const scheduledAt = ctx.origin + planned.atMs;
  const resolved = resolveTargets(planned.tier, ctx.targets);
  if ('reason' in resolved) return skipped(planned, scheduledAt, resolved.reason);
  const servedBefore = await servingServerPid(ctx.health, HEARTBEAT_TIMEOUT_MS, ctx.health.paths.dir);
  const isPlanned = isPlannedStop(planned);
  ctx.onPhase(isPlanned ? 'planned-stop' : 'running', planned.index);
  const injectedAt = Date.now();
  // An overload sends no signal: a burst of keep-alive clients at the server for the hold time.
  const overload = planned.kind === 'overload';
  const reached: FaultTarget[] = planned.kind === 'overload' ? resolved.targets : sendFault(planned.kind, resolved.targets);
  ctx.onEvent({ at: injectedAt, type: 'fault-injected', index: planned.index, tier: planned.tier, kind: planned.kind, targets: reached, holdMs: planned.holdMs });
  let holdDone = !isHeld(planned.kind);
  let hold: Promise<void> = Promise.resolve();
  if (planned.kind === 'SIGSTOP') {
    hold = holdThenContinue(reached, planned.holdMs).then((continued) => {
      holdDone = true;
      ctx.onEvent({ at: Date.now(), type: 'fault-continued', index: planned.index, continued });
    });
  } else if (overload) {
    const { host, port } = ctx.health;
    const burst = startLoad({ host, port, path: ctx.overload.path, keepAliveWorkers: ctx.overload.clients, newConnectionWorkers: 0, durationMs: planned.holdMs, timeoutMs: ctx.overload.timeoutMs }, ctx.overload.onRecord);
    hold = burst.done.then((summary) => {
      holdDone = true;
      ctx.onEvent({ at: Date.now(), type: 'overload-done', index: planned.index, total: summary.total, failed: summary.total - summary.counts.ok, maxMs: summary.maxMs });
    });
  }
  // The bounds count from the injection, plus the hold for a SIGSTOP or a burst (over only when released).
  const start = injectedAt + (isHeld(planned.kind) ? planned.holdMs : 0);
  const result = await watchFault(ctx.health, () => ({ kind: planned.kind, targets: reached, servedBefore, holdDone }), start + ctx.repairBoundMs, ctx.aborted);
  await hold;
  ctx.onPhase('running', null);
  const late = result.recoveredAt === null || result.recoveredAt > start + ctx.recoveryBoundMs;
  const outcome = late ? 'not-recovered' : result.repairedAt === null ? 'not-repaired' : 'recovered';
  const notes: string[] = [];
  if (reached.length < resolved.targets.length) notes.push(`only ${reached.length} of ${resolved.targets.length} targets were still there to signal`);
  if (result.repairedAt === null) notes.push(`${ctx.aborted() ? 'interrupted' : 'at the deadline'}, still missing: ${result.missing.join('; ')}`);
  return {
    index: planned.index, tier: planned.tier, kind: planned.kind, holdMs: planned.holdMs, planned: isPlanned, scheduledAt, injectedAt,
    recoveredAt: result.recoveredAt, recoveryMs: result.recoveredAt === null ? null : result.recoveredAt - injectedAt,
    repairedAt: result.repairedAt, repairMs: result.repairedAt === null ? null : result.repairedAt - injectedAt, endedAt: result.endedAt,
    outcome, targets: reached, servedBefore, servedAfter: result.servedAfter, note: notes.length ? notes.join('; ') : null,
  };
}

/** Runs every planned fault in order; returns their records. */
export async function runFaults(schedule: readonly PlannedFault[], ctx: FaultLoopContext): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  for (const planned of schedule) {
    const scheduledAt = ctx.origin + planned.atMs;
    await sleepUntil(scheduledAt, ctx.aborted);
    let record: FaultRecord;
    if (ctx.aborted()) record = skipped(planned, scheduledAt, 'campaign interrupted');
    else if (Date.now() > ctx.lastInjectAt) record = skipped(planned, scheduledAt, 'campaign time over (earlier faults took long to recover)');
    else record = await runOne(planned, ctx);
    records.push(record);
    ctx.onFault(record);
  }
  return records;
}
