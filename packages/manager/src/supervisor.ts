// The manager's supervision logic, pure: decide(state, event, context) → { state, actions }.
// No processes, timers or clocks here; the runner carries the actions out. Each slot of the pool is
// supervised on its own (its restart policy over its own deaths); one warm standby serves them all.
import { decideRestart, trimDeaths, type Death } from '@tripod/core/policy/restart-policy';
import {
  advanceRolling, backoffTimer, STANDBY_SETTLE_TIMER, drain, drainTimer, ensureStandby, fillSlots, inSlot, launchTimer, log, replaceProc, replaceSlot, startFor, withSize,
} from './pool.js';
import type { Action, DecideContext, Decision, ServerProc, SlotState, SupervisorEvent, SupervisorState } from './state.js';

export * from './state.js';

/** The cause an exit is counted under. */
export function exitCause(requested: boolean, code: number | null, signal: string | null): string {
  if (requested) return 'requested';
  return signal ? `signal:${signal}` : `code:${code ?? 'unknown'}`;
}

function tally(counts: Readonly<Record<string, number>>, key: string): Record<string, number> {
  return { ...counts, [key]: (counts[key] ?? 0) + 1 };
}

function allStoppedCheck(state: SupervisorState, actions: Action[]): void {
  if (state.goal === 'stop' && state.procs.length === 0) actions.push({ type: 'all-stopped' });
}

function onExited(state: SupervisorState, event: Extract<SupervisorEvent, { type: 'exited' }>, ctx: DecideContext, actions: Action[]): SupervisorState {
  const proc = state.procs.find((p) => p.pid === event.pid);
  if (!proc) return state;
  const requested = proc.stopRequested;
  const without = { ...state, procs: state.procs.filter((p) => p.id !== proc.id) };
  actions.push(
    { type: 'cancel', name: launchTimer(proc.id) },
    { type: 'cancel', name: drainTimer(proc.id) },
    // Whatever the application left in the server's process group goes with it.
    { type: 'signal', pid: event.pid, signal: 'SIGKILL', group: true },
  );
  if (proc.role === 'standby') {
    // A standby never served: its death is no outage and no crash of the service. The next server
    // that becomes ready starts another (never a loop of them).
    actions.push(log(requested ? 'info' : 'warn', 'server.standby-exit', { pid: event.pid, code: event.code, signal: event.signal, requested }));
    allStoppedCheck(without, actions);
    return without;
  }
  const exit = { pid: event.pid, code: event.code, signal: event.signal, at: ctx.now, requested };
  actions.push(log(requested ? 'info' : 'warn', 'server.exit', { pid: event.pid, slot: proc.slot, code: event.code, signal: event.signal, requested, role: proc.role, uptimeMs: ctx.now - proc.startedAt }));
  let next: SupervisorState = { ...without, lastExit: exit, exitsByCause: tally(state.exitsByCause, exitCause(requested, event.code, event.signal)) };
  if (proc.slot !== null && next.slots.some((s) => s.slot === proc.slot)) {
    next = replaceSlot(next, proc.slot, { lastExit: exit });
    if (!requested && next.goal === 'run') next = afterCrash(next, proc, event, ctx, actions);
  }
  next = advanceRolling(fillSlots(next, ctx, actions), ctx, actions);
  allStoppedCheck(next, actions);
  return next;
}

/**
 * Records a crash in its slot and decides the slot's restart. A server that served for the minimum
 * uptime proved itself: its death starts the count over, so it is replaced at once (by the standby if
 * one is ready). Deaths before ready or soon after are a crash loop and back off.
 */
function afterCrash(state: SupervisorState, proc: ServerProc, exit: { code: number | null; signal: string | null }, ctx: DecideContext, actions: Action[]): SupervisorState {
  const slot = state.slots.find((s) => s.slot === proc.slot)!;
  if (proc.handover && inSlot(state, slot.slot, 'serving').length > 0) actions.push(log('error', 'server.handover-failed', { pid: proc.pid, slot: slot.slot }));
  const served = proc.readyAt !== null && ctx.now - proc.readyAt >= ctx.minUptimeMs;
  const death: Death = { at: ctx.now, code: exit.code, signal: exit.signal, requested: false, uptimeMs: ctx.now - proc.startedAt, healthy: served };
  const deaths = trimDeaths([...slot.deaths, death]);
  const decision = decideRestart(deaths, ctx.policy, () => ctx.random);
  if (decision.action === 'stay-down') {
    actions.push(log('error', 'server.give-up', { slot: slot.slot, reason: decision.reason, code: death.code }));
    return replaceSlot(state, slot.slot, { deaths, stayDown: 'no-restart-code', consecutiveCrashes: 0 });
  }
  const counted = replaceSlot(state, slot.slot, { deaths, consecutiveCrashes: decision.consecutive });
  // Its successor (or the server it was replacing) still covers the slot.
  if (inSlot(counted, slot.slot, 'starting', 'serving').length > 0) return counted;
  if (decision.delayMs === 0) return replaceSlot({ ...counted, restarts: counted.restarts + 1 }, slot.slot, { restarts: slot.restarts + 1 });
  actions.push(
    log('warn', 'server.backoff', { slot: slot.slot, delayMs: decision.delayMs, consecutive: decision.consecutive }),
    { type: 'arm', name: backoffTimer(slot.slot), ms: decision.delayMs },
  );
  return replaceSlot(counted, slot.slot, { backoffUntil: ctx.now + decision.delayMs });
}

function onTimer(state: SupervisorState, name: string, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (name === STANDBY_SETTLE_TIMER) return ensureStandby({ ...state, standbyNotBefore: null }, ctx, actions);
  const [kind, idText] = name.split(':');
  const n = Number(idText);
  if (kind === 'backoff') {
    const slot = state.slots.find((s) => s.slot === n);
    if (!slot || slot.backoffUntil === null) return state;
    const next = replaceSlot(state, n, { backoffUntil: null, restarts: slot.restarts + 1 });
    return fillSlots({ ...next, restarts: next.restarts + 1 }, ctx, actions);
  }
  const proc = state.procs.find((p) => p.id === n);
  if (!proc || proc.pid === null) return state;
  if (kind === 'launch' && (proc.role === 'starting' || (proc.role === 'standby' && !proc.standbyReady))) {
    actions.push(log('error', 'server.launch-timeout', { pid: proc.pid, slot: proc.slot, ms: ctx.launchTimeoutMs }));
    actions.push({ type: 'signal', pid: proc.pid, signal: 'SIGKILL', group: true });
  } else if (kind === 'drain' && proc.role === 'draining') {
    actions.push(log('warn', 'server.drain-timeout', { pid: proc.pid, slot: proc.slot }));
    actions.push({ type: 'signal', pid: proc.pid, signal: 'SIGKILL', group: true });
  }
  return state;
}

function onStop(state: SupervisorState, graceful: boolean, ctx: DecideContext, actions: Action[]): SupervisorState {
  let next: SupervisorState = { ...state, goal: 'stop', rolling: null, slots: state.slots.map((s) => ({ ...s, backoffUntil: null })) };
  for (const slot of state.slots) actions.push({ type: 'cancel', name: backoffTimer(slot.slot) });
  // A graceful stop lets the servers drain fully; a hard one gives them the kill grace, then SIGKILL.
  const ms = graceful ? ctx.drainTimeoutMs + ctx.killGraceMs : ctx.killGraceMs;
  for (const proc of state.procs) if (proc.role !== 'draining') next = drain(next, proc, ms, actions);
  allStoppedCheck(next, actions);
  return next;
}

/** Clears every slot's backoff and give-up: an operator's start or restart overrides them. */
function wake(state: SupervisorState, actions: Action[]): SupervisorState {
  for (const slot of state.slots) if (slot.backoffUntil !== null) actions.push({ type: 'cancel', name: backoffTimer(slot.slot) });
  return { ...state, goal: 'run', slots: state.slots.map((s) => ({ ...s, stayDown: null, backoffUntil: null })) };
}

function onRestart(state: SupervisorState, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (state.rolling !== null) {
    actions.push(log('info', 'server.restart-ignored', { reason: 'a rolling restart is under way' }));
    return state;
  }
  actions.push(log('info', 'server.restart', { graceful: true, size: state.size, batch: ctx.restartBatch }));
  // A planned restart starts fresh servers (the configuration may have been reloaded) and replaces
  // the standby too, once the rolling restart is done.
  let next = withSize(wake(state, actions), Math.max(1, state.size));
  for (const standby of next.procs.filter((p) => p.role === 'standby')) next = drain(next, standby, ctx.killGraceMs, actions);
  const pending = next.slots.map((s) => s.slot).filter((slot) => inSlot(next, slot, 'serving').length > 0);
  next = fillSlots({ ...next, rolling: { pending } }, ctx, actions);
  return advanceRolling(next, ctx, actions);
}

function onScale(state: SupervisorState, size: number, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (size === state.size) return state;
  actions.push(log('info', 'server.scale', { from: state.size, to: size }));
  let next = state;
  // Shrinking: the servers of the dropped slots drain (the others keep the sockets listening).
  for (const proc of state.procs) {
    if (proc.slot !== null && proc.slot >= size && proc.role !== 'draining') next = drain(next, proc, ctx.drainTimeoutMs + ctx.killGraceMs, actions);
  }
  for (const slot of state.slots) if (slot.slot >= size && slot.backoffUntil !== null) actions.push({ type: 'cancel', name: backoffTimer(slot.slot) });
  next = withSize(next, size);
  if (next.rolling !== null) next = { ...next, rolling: { pending: next.rolling.pending.filter((s) => s < size) } };
  return fillSlots(next, ctx, actions);
}

/** A server over the memory limit: a successor for its slot first (the standby if ready), the old one drains once it is ready. */
function onOverMemory(state: SupervisorState, event: Extract<SupervisorEvent, { type: 'over-memory' }>, ctx: DecideContext, actions: Action[]): SupervisorState {
  const slot = slotToReplace(state, event.pid);
  if (slot === null) return state;
  actions.push(log('warn', 'server.over-memory', { pid: event.pid, slot: slot.slot, rss: event.rss }));
  return startFor(replaceSlot(state, slot.slot, { memoryReplacements: slot.memoryReplacements + 1 }), slot.slot, ctx, actions);
}

/**
 * The slot of serving server `pid` when it may get a successor now (memory limit, wedged): the pool
 * runs and no successor for that slot is starting already; else null.
 */
function slotToReplace(state: SupervisorState, pid: number): SlotState | null {
  const proc = state.procs.find((p) => p.pid === pid);
  if (!proc || proc.role !== 'serving' || proc.slot === null || state.goal !== 'run') return null;
  if (inSlot(state, proc.slot, 'starting').length > 0) return null;
  return state.slots.find((s) => s.slot === proc.slot) ?? null;
}

/**
 * A server the cop judged wedged (and is about to kill): its slot's successor starts now — the ready
 * standby when there is one — instead of after the death, so the slot is served again within the
 * bound; the old server drains (or dies by the cop's kill) once the successor is ready.
 */
function onWedged(state: SupervisorState, event: Extract<SupervisorEvent, { type: 'wedged' }>, ctx: DecideContext, actions: Action[]): SupervisorState {
  const slot = slotToReplace(state, event.pid);
  if (slot === null) return state;
  actions.push(log('warn', 'server.wedged-replace', { pid: event.pid, slot: slot.slot, reason: event.reason }));
  const counted = replaceSlot({ ...state, restarts: state.restarts + 1 }, slot.slot, { restarts: slot.restarts + 1 });
  return startFor(counted, slot.slot, ctx, actions);
}

function onReady(state: SupervisorState, pid: number, ctx: DecideContext, actions: Action[]): SupervisorState {
  const proc = state.procs.find((p) => p.pid === pid);
  if (!proc || proc.role !== 'starting' || proc.slot === null) return state;
  actions.push({ type: 'cancel', name: launchTimer(proc.id) }, log('info', 'server.ready', { pid, slot: proc.slot, handover: proc.handover }));
  let next = replaceProc(state, proc.id, { role: 'serving', readyAt: ctx.now });
  // The slot's previous server drains only now that its successor serves.
  for (const old of inSlot(next, proc.slot, 'serving')) {
    if (old.id !== proc.id) next = drain(next, old, ctx.drainTimeoutMs + ctx.killGraceMs, actions);
  }
  return ensureStandby(advanceRolling(next, ctx, actions), ctx, actions);
}

/** The supervisor's transition function. */
export function decide(state: SupervisorState, event: SupervisorEvent, ctx: DecideContext): Decision {
  const actions: Action[] = [];
  let next = state;
  switch (event.type) {
    case 'start':
      next = fillSlots(withSize(wake(state, actions), event.size ?? Math.max(1, state.size)), ctx, actions);
      break;
    case 'stop':
      next = onStop(state, event.graceful, ctx, actions);
      break;
    case 'restart':
      next = onRestart(state, ctx, actions);
      break;
    case 'scale':
      next = onScale(state, event.size, ctx, actions);
      break;
    case 'spawned':
      next = replaceProc(state, event.id, { pid: event.pid });
      actions.push(log('info', 'server.spawn', { pid: event.pid, id: event.id, slot: state.procs.find((p) => p.id === event.id)?.slot ?? null }));
      break;
    case 'spawn-failed': {
      actions.push({ type: 'cancel', name: launchTimer(event.id) }, log('error', 'server.spawn-failed', { error: event.error }));
      const proc = state.procs.find((p) => p.id === event.id);
      next = { ...state, procs: state.procs.filter((p) => p.id !== event.id) };
      if (proc?.slot != null && next.goal === 'run') next = afterCrash(next, proc, { code: null, signal: null }, ctx, actions);
      next = fillSlots(next, ctx, actions);
      break;
    }
    case 'ready':
      next = onReady(state, event.pid, ctx, actions);
      break;
    case 'standby-ready': {
      const proc = state.procs.find((p) => p.pid === event.pid);
      if (!proc || proc.role !== 'standby') break;
      actions.push({ type: 'cancel', name: launchTimer(proc.id) }, log('info', 'server.standby', { pid: event.pid }));
      // A slot that lost its server while this one was loading takes it now.
      next = fillSlots(replaceProc(state, proc.id, { standbyReady: true }), ctx, actions);
      break;
    }
    case 'exited':
      next = onExited(state, event, ctx, actions);
      break;
    case 'over-memory':
      next = onOverMemory(state, event, ctx, actions);
      break;
    case 'wedged':
      next = onWedged(state, event, ctx, actions);
      break;
    case 'timer':
      next = onTimer(state, event.name, ctx, actions);
      break;
  }
  return { state: next, actions };
}
