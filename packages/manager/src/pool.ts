// The supervisor's building blocks over the pool: filling slots, the standby, draining, the rolling
// restart. Pure: each takes the state and an action list and returns the next state.
import { freshSlot, type Action, type DecideContext, type Role, type ServerProc, type SlotState, type SupervisorState } from './state.js';

export const launchTimer = (id: number) => `launch:${id}`;
export const drainTimer = (id: number) => `drain:${id}`;
export const backoffTimer = (slot: number) => `backoff:${slot}`;

export const log = (level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown> = {}): Action => ({ type: 'log', level, event, fields });

export function replaceProc(state: SupervisorState, id: number, change: Partial<ServerProc>): SupervisorState {
  return { ...state, procs: state.procs.map((p) => (p.id === id ? { ...p, ...change } : p)) };
}

export function replaceSlot(state: SupervisorState, slot: number, change: Partial<SlotState>): SupervisorState {
  return { ...state, slots: state.slots.map((s) => (s.slot === slot ? { ...s, ...change } : s)) };
}

/** The servers of `slot` in one of `roles`. */
export function inSlot(state: SupervisorState, slot: number, ...roles: Role[]): ServerProc[] {
  return state.procs.filter((p) => p.slot === slot && roles.includes(p.role));
}

/** Gives the state exactly `size` slot records, keeping the ones it has. */
export function withSize(state: SupervisorState, size: number): SupervisorState {
  const slots = Array.from({ length: size }, (_, i) => state.slots.find((s) => s.slot === i) ?? freshSlot(i));
  return { ...state, size, slots };
}

export function spawn(state: SupervisorState, ctx: DecideContext, actions: Action[], slot: number | null, handover: boolean): SupervisorState {
  const id = state.nextId;
  const standby = slot === null;
  const proc: ServerProc = { id, pid: null, role: standby ? 'standby' : 'starting', slot, startedAt: ctx.now, readyAt: null, handover, stopRequested: false, standbyReady: false };
  actions.push({ type: 'spawn', id, slot, handover, standby }, { type: 'arm', name: launchTimer(id), ms: ctx.launchTimeoutMs });
  return { ...state, nextId: id + 1, procs: [...state.procs, proc] };
}

/** Starts a server for `slot`: the ready standby if one waits (unless `fresh` is asked), else a new process. */
export function startFor(state: SupervisorState, slot: number, ctx: DecideContext, actions: Action[], fresh = false): SupervisorState {
  const handover = inSlot(state, slot, 'serving', 'draining').length > 0;
  const standby = fresh ? undefined : state.procs.find((p) => p.role === 'standby' && p.standbyReady && p.pid !== null);
  if (standby) {
    actions.push({ type: 'promote', pid: standby.pid!, slot }, { type: 'arm', name: launchTimer(standby.id), ms: ctx.launchTimeoutMs }, log('info', 'server.promote', { pid: standby.pid, slot }));
    return replaceProc(state, standby.id, { role: 'starting', slot, startedAt: ctx.now, standbyReady: false, handover });
  }
  return spawn(state, ctx, actions, slot, handover);
}

/** Starts a server for every slot that should run and has none starting or serving (not while it backs off or gave up). */
export function fillSlots(state: SupervisorState, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (state.goal !== 'run') return state;
  let next = state;
  for (const slot of state.slots) {
    if (slot.stayDown !== null || slot.backoffUntil !== null) continue;
    if (inSlot(next, slot.slot, 'starting', 'serving').length > 0) continue;
    next = startFor(next, slot.slot, ctx, actions, next.rolling !== null);
  }
  return ensureStandby(next, ctx, actions);
}

/** The timer after which the standby a rolling restart held back may start. */
export const STANDBY_SETTLE_TIMER = 'standby-settle';
/** How long after a rolling restart's last successor became ready its fresh standby boots (`standbySettleMs`). */
export const STANDBY_SETTLE_MS = 1000;

/**
 * Starts the pool's one warm standby once a server serves, when configured and none exists; not during
 * a rolling restart, nor while a slot's old server still drains, nor within `standbySettleMs` of the
 * roll's end. The successors have just taken the load cold (their JIT still compiling the request
 * path): a process booting beside them on the same cores took the CPU they needed, measured 20-60 ms
 * held requests on 2 cores. The standby starts when the last drain has ended and the settle time passed.
 */
export function ensureStandby(state: SupervisorState, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (!ctx.standby || state.goal !== 'run' || state.rolling !== null) return state;
  if (state.standbyNotBefore !== null && ctx.now < state.standbyNotBefore) return state;
  if (state.procs.some((p) => p.role === 'draining' && p.slot !== null)) return state;
  if (state.procs.some((p) => p.role === 'standby') || !state.procs.some((p) => p.role === 'serving')) return state;
  if (state.slots.every((s) => s.stayDown !== null)) return state;
  return spawn(state, ctx, actions, null, false);
}

/** Asks `proc` to drain (SIGTERM) and arms the timer after which it is killed. */
export function drain(state: SupervisorState, proc: ServerProc, ms: number, actions: Action[]): SupervisorState {
  if (proc.pid !== null) actions.push({ type: 'signal', pid: proc.pid, signal: 'SIGTERM', group: false });
  actions.push({ type: 'cancel', name: launchTimer(proc.id) }, { type: 'arm', name: drainTimer(proc.id), ms });
  return replaceProc(state, proc.id, { role: 'draining', stopRequested: true });
}

/**
 * Moves a rolling restart on: while fewer than `restartBatch` successors start, start one for the next
 * pending slot (a fresh process: the configuration may have changed). A slot's old server drains
 * only once its successor is ready (see `ready` in supervisor.ts). Done when nothing is pending or starting.
 */
export function advanceRolling(state: SupervisorState, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (state.rolling === null || state.goal !== 'run') return state;
  let next = state;
  let pending = [...state.rolling.pending];
  const starting = () => next.procs.filter((p) => p.role === 'starting' && p.slot !== null).length;
  while (pending.length > 0 && starting() < Math.max(1, ctx.restartBatch)) {
    const slot = pending.shift()!;
    if (slot >= next.size || inSlot(next, slot, 'starting').length > 0) continue;
    next = startFor(next, slot, ctx, actions, true);
  }
  next = { ...next, rolling: { pending } };
  if (pending.length === 0 && starting() === 0) {
    actions.push(log('info', 'server.restart-done', { size: next.size }));
    if (ctx.standbySettleMs > 0) actions.push({ type: 'arm', name: STANDBY_SETTLE_TIMER, ms: ctx.standbySettleMs });
    next = ensureStandby({ ...next, rolling: null, standbyNotBefore: ctx.now + ctx.standbySettleMs }, ctx, actions);
  }
  return next;
}
