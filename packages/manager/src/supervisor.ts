// The manager's supervision logic, pure: decide(state, event, context) → { state, actions }.
// No processes, timers or clocks here; the runner carries the actions out.
import { decideRestart, trimDeaths, type Death } from '@tripod/core';
import type { Action, DecideContext, Decision, Role, ServerProc, SupervisorEvent, SupervisorState } from './state.js';

export * from './state.js';

const launchTimer = (id: number) => `launch:${id}`;
const drainTimer = (id: number) => `drain:${id}`;
const BACKOFF = 'backoff';

const log = (level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown> = {}): Action => ({ type: 'log', level, event, fields });

/** The cause an exit is counted under. */
export function exitCause(requested: boolean, code: number | null, signal: string | null): string {
  if (requested) return 'requested';
  return signal ? `signal:${signal}` : `code:${code ?? 'unknown'}`;
}

function tally(counts: Readonly<Record<string, number>>, key: string): Record<string, number> {
  return { ...counts, [key]: (counts[key] ?? 0) + 1 };
}

/** Starts a server when one should run and none is starting or serving: the warm standby if one waits, else a new one. */
function ensureServer(state: SupervisorState, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (state.goal !== 'run' || state.stayDown !== null || state.backoffUntil !== null) return state;
  if (state.procs.some((p) => p.role === 'starting' || p.role === 'serving')) return state;
  const standby = state.procs.find((p) => p.role === 'standby' && p.standbyReady && p.pid !== null);
  if (standby) {
    actions.push({ type: 'promote', pid: standby.pid! }, { type: 'arm', name: launchTimer(standby.id), ms: ctx.launchTimeoutMs }, log('info', 'server.promote', { pid: standby.pid }));
    return replace(state, standby.id, { role: 'starting', startedAt: ctx.now, standbyReady: false });
  }
  return spawn(state, ctx, actions, state.procs.some((p) => p.role === 'draining'), false);
}

/** Starts a warm standby once a server serves, when configured and none exists. */
function ensureStandby(state: SupervisorState, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (!ctx.standby || state.goal !== 'run' || state.stayDown !== null) return state;
  if (state.procs.some((p) => p.role === 'standby') || !state.procs.some((p) => p.role === 'serving')) return state;
  return spawn(state, ctx, actions, false, true);
}

function spawn(state: SupervisorState, ctx: DecideContext, actions: Action[], handover: boolean, standby: boolean): SupervisorState {
  const id = state.nextId;
  const role: Role = standby ? 'standby' : 'starting';
  const proc: ServerProc = { id, pid: null, role, startedAt: ctx.now, readyAt: null, handover, stopRequested: false, standbyReady: false };
  actions.push({ type: 'spawn', id, handover, standby }, { type: 'arm', name: launchTimer(id), ms: ctx.launchTimeoutMs });
  return { ...state, nextId: id + 1, procs: [...state.procs, proc] };
}

function replace(state: SupervisorState, id: number, change: Partial<ServerProc>): SupervisorState {
  return { ...state, procs: state.procs.map((p) => (p.id === id ? { ...p, ...change } : p)) };
}

/** Asks `proc` to drain (SIGTERM) and arms the timer after which it is killed. */
function drain(state: SupervisorState, proc: ServerProc, ms: number, actions: Action[]): SupervisorState {
  if (proc.pid !== null) actions.push({ type: 'signal', pid: proc.pid, signal: 'SIGTERM', group: false });
  actions.push({ type: 'cancel', name: launchTimer(proc.id) }, { type: 'arm', name: drainTimer(proc.id), ms });
  return replace(state, proc.id, { role: 'draining', stopRequested: true });
}

function onExited(state: SupervisorState, event: Extract<SupervisorEvent, { type: 'exited' }>, ctx: DecideContext, actions: Action[]): SupervisorState {
  const proc = state.procs.find((p) => p.pid === event.pid);
  if (!proc) return state;
  const requested = proc.stopRequested;
  if (proc.role === 'standby') {
    // A standby never served: its death is no outage and no crash of the service. The next server
    // that becomes ready starts another (never a loop of them).
    actions.push({ type: 'cancel', name: launchTimer(proc.id) }, { type: 'signal', pid: event.pid, signal: 'SIGKILL', group: true });
    actions.push(log(requested ? 'info' : 'warn', 'server.standby-exit', { pid: event.pid, code: event.code, signal: event.signal, requested }));
    const next = { ...state, procs: state.procs.filter((p) => p.id !== proc.id) };
    if (next.goal === 'stop' && next.procs.length === 0) actions.push({ type: 'all-stopped' });
    return next;
  }
  const death: Death = { at: ctx.now, code: event.code, signal: event.signal, requested, uptimeMs: ctx.now - proc.startedAt };
  actions.push(
    { type: 'cancel', name: launchTimer(proc.id) },
    { type: 'cancel', name: drainTimer(proc.id) },
    // Whatever the application left in the server's process group goes with it.
    { type: 'signal', pid: event.pid, signal: 'SIGKILL', group: true },
    log(requested ? 'info' : 'warn', 'server.exit', { pid: event.pid, code: event.code, signal: event.signal, requested, role: proc.role, uptimeMs: death.uptimeMs }),
  );
  let next: SupervisorState = {
    ...state,
    procs: state.procs.filter((p) => p.id !== proc.id),
    deaths: trimDeaths([...state.deaths, death]),
    lastExit: { pid: event.pid, code: event.code, signal: event.signal, at: ctx.now, requested },
    exitsByCause: tally(state.exitsByCause, exitCause(requested, event.code, event.signal)),
  };
  if (!requested && next.goal === 'run') next = afterCrash(next, proc, ctx, actions);
  else next = ensureServer(next, ctx, actions);
  if (next.goal === 'stop' && next.procs.length === 0) actions.push({ type: 'all-stopped' });
  return next;
}

function afterCrash(state: SupervisorState, proc: ServerProc, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (proc.handover && state.procs.some((p) => p.role === 'serving')) {
    actions.push(log('error', 'server.handover-failed', { pid: proc.pid }));
  }
  const decision = decideRestart(state.deaths, ctx.policy, () => ctx.random);
  if (decision.action === 'stay-down') {
    actions.push(log('error', 'server.give-up', { reason: decision.reason, code: state.lastExit?.code }));
    return { ...state, stayDown: 'no-restart-code', consecutiveCrashes: 0 };
  }
  const counted = { ...state, consecutiveCrashes: decision.consecutive };
  if (state.procs.some((p) => p.role === 'starting' || p.role === 'serving')) return counted;
  if (decision.delayMs === 0) return ensureServer({ ...counted, restarts: state.restarts + 1 }, ctx, actions);
  actions.push(
    log('warn', 'server.backoff', { delayMs: decision.delayMs, consecutive: decision.consecutive }),
    { type: 'arm', name: BACKOFF, ms: decision.delayMs },
  );
  return { ...counted, backoffUntil: ctx.now + decision.delayMs };
}

function onTimer(state: SupervisorState, name: string, ctx: DecideContext, actions: Action[]): SupervisorState {
  if (name === BACKOFF) {
    if (state.backoffUntil === null) return state;
    const next = { ...state, backoffUntil: null };
    return next.goal === 'run' ? ensureServer({ ...next, restarts: next.restarts + 1 }, ctx, actions) : next;
  }
  const [kind, idText] = name.split(':');
  const proc = state.procs.find((p) => p.id === Number(idText));
  if (!proc || proc.pid === null) return state;
  if (kind === 'launch' && (proc.role === 'starting' || (proc.role === 'standby' && !proc.standbyReady))) {
    actions.push(log('error', 'server.launch-timeout', { pid: proc.pid, ms: ctx.launchTimeoutMs }));
    actions.push({ type: 'signal', pid: proc.pid, signal: 'SIGKILL', group: true });
  } else if (kind === 'drain' && proc.role === 'draining') {
    actions.push(log('warn', 'server.drain-timeout', { pid: proc.pid }));
    actions.push({ type: 'signal', pid: proc.pid, signal: 'SIGKILL', group: true });
  }
  return state;
}

function onStop(state: SupervisorState, graceful: boolean, ctx: DecideContext, actions: Action[]): SupervisorState {
  let next: SupervisorState = { ...state, goal: 'stop', backoffUntil: null };
  actions.push({ type: 'cancel', name: BACKOFF });
  // A graceful stop lets the server drain fully; a hard one gives it the kill grace, then SIGKILL.
  const ms = graceful ? ctx.drainTimeoutMs + ctx.killGraceMs : ctx.killGraceMs;
  for (const proc of state.procs) if (proc.role !== 'draining') next = drain(next, proc, ms, actions);
  if (next.procs.length === 0) actions.push({ type: 'all-stopped' });
  return next;
}

function onRestart(state: SupervisorState, ctx: DecideContext, actions: Action[]): SupervisorState {
  const woken: SupervisorState = { ...state, goal: 'run', stayDown: null, backoffUntil: null };
  if (state.procs.some((p) => p.role === 'starting')) {
    actions.push(log('info', 'server.restart-ignored', { reason: 'a server is already starting' }));
    return state;
  }
  actions.push({ type: 'cancel', name: BACKOFF }, log('info', 'server.restart', { graceful: true }));
  // A planned restart starts a fresh server (the configuration may have been reloaded) and replaces
  // the standby too, once the new server is ready.
  let next = woken;
  for (const standby of woken.procs.filter((p) => p.role === 'standby')) next = drain(next, standby, ctx.killGraceMs, actions);
  if (next.procs.some((p) => p.role === 'serving')) return spawn(next, ctx, actions, true, false);
  return ensureServer(next, ctx, actions);
}

/** The supervisor's transition function. */
export function decide(state: SupervisorState, event: SupervisorEvent, ctx: DecideContext): Decision {
  const actions: Action[] = [];
  let next = state;
  switch (event.type) {
    case 'start':
      next = ensureServer({ ...state, goal: 'run', stayDown: null }, ctx, actions);
      break;
    case 'stop':
      next = onStop(state, event.graceful, ctx, actions);
      break;
    case 'restart':
      next = onRestart(state, ctx, actions);
      break;
    case 'spawned':
      next = replace(state, event.id, { pid: event.pid });
      actions.push(log('info', 'server.spawn', { pid: event.pid, id: event.id }));
      break;
    case 'spawn-failed': {
      actions.push({ type: 'cancel', name: launchTimer(event.id) }, log('error', 'server.spawn-failed', { error: event.error }));
      const death: Death = { at: ctx.now, code: null, signal: null, requested: false, uptimeMs: 0 };
      const proc = state.procs.find((p) => p.id === event.id);
      next = { ...state, procs: state.procs.filter((p) => p.id !== event.id), deaths: trimDeaths([...state.deaths, death]) };
      if (proc) next = afterCrash(next, proc, ctx, actions);
      break;
    }
    case 'ready': {
      const proc = state.procs.find((p) => p.pid === event.pid);
      if (!proc || proc.role !== 'starting') break;
      actions.push({ type: 'cancel', name: launchTimer(proc.id) }, log('info', 'server.ready', { pid: event.pid, handover: proc.handover }));
      next = replace(state, proc.id, { role: 'serving', readyAt: ctx.now });
      for (const old of next.procs) {
        if (old.id !== proc.id && old.role === 'serving') next = drain(next, old, ctx.drainTimeoutMs + ctx.killGraceMs, actions);
      }
      next = ensureStandby(next, ctx, actions);
      break;
    }
    case 'standby-ready': {
      const proc = state.procs.find((p) => p.pid === event.pid);
      if (!proc || proc.role !== 'standby') break;
      actions.push({ type: 'cancel', name: launchTimer(proc.id) }, log('info', 'server.standby', { pid: event.pid }));
      next = replace(state, proc.id, { standbyReady: true });
      // A server died while this one was loading: it takes over now.
      next = ensureServer(next, ctx, actions);
      break;
    }
    case 'exited':
      next = onExited(state, event, ctx, actions);
      break;
    case 'timer':
      next = onTimer(state, event.name, ctx, actions);
      break;
  }
  return { state: next, actions };
}
