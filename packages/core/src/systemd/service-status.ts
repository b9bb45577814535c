// What a supervisor tells systemd, as a pure function of what happens to it: READY=1 when the service
// first answers, STATUS= when serving starts or stops or another server PID answers, WATCHDOG=1 after
// each check cycle, RELOADING=1 … READY=1 around a reload, STOPPING=1 when the stop begins.
// The caller carries the actions out on a Notifier.

/** starting: READY=1 not sent yet; running: it was; reloading: between RELOADING=1 and READY=1. */
export type ServicePhase = 'starting' | 'running' | 'reloading' | 'stopping';

export interface ServiceStatus {
  readonly phase: ServicePhase;
  /** The last check cycle (or a heartbeat since) found the service answering. */
  readonly isServing: boolean;
  /** The PID that last answered the heartbeat. */
  readonly servingPid: number | null;
  /** A heartbeat succeeded during the current check cycle. */
  readonly isServedThisCycle: boolean;
}

export type ServiceEvent =
  | { readonly type: 'serving'; readonly pid: number }
  | { readonly type: 'cycle-end' }
  | { readonly type: 'reload-begin' }
  | { readonly type: 'reload-end' }
  | { readonly type: 'stop-begin' };

export type NotifyAction =
  | { readonly type: 'ready'; readonly status: string }
  | { readonly type: 'status'; readonly status: string }
  | { readonly type: 'watchdog' }
  | { readonly type: 'reloading'; readonly status: string }
  | { readonly type: 'stopping'; readonly status: string };

export const INITIAL_SERVICE_STATUS: ServiceStatus = Object.freeze({ phase: 'starting', isServing: false, servingPid: null, isServedThisCycle: false });

/** The STATUS= text for a state. */
export function statusText(state: Pick<ServiceStatus, 'isServing' | 'servingPid'>): string {
  if (state.isServing && state.servingPid !== null) return `serving (server PID ${state.servingPid})`;
  return state.servingPid === null ? 'waiting for a server to answer' : `not serving: waiting for a server (last PID ${state.servingPid})`;
}

/** The next status and the messages to send for `event`. */
export function decideNotify(state: ServiceStatus, event: ServiceEvent): { state: ServiceStatus; actions: NotifyAction[] } {
  if (state.phase === 'stopping') return { state, actions: [] };
  switch (event.type) {
    case 'serving': {
      const next: ServiceStatus = { ...state, isServing: true, servingPid: event.pid, isServedThisCycle: true };
      if (state.phase === 'starting') return { state: { ...next, phase: 'running' }, actions: [{ type: 'ready', status: statusText(next) }] };
      const changed = !state.isServing || state.servingPid !== event.pid;
      return { state: next, actions: changed && state.phase === 'running' ? [{ type: 'status', status: statusText(next) }] : [] };
    }
    case 'cycle-end': {
      const lost = state.isServing && !state.isServedThisCycle;
      const next: ServiceStatus = { ...state, isServing: state.isServing && !lost, isServedThisCycle: false };
      const actions: NotifyAction[] = [{ type: 'watchdog' }];
      if (lost && state.phase === 'running') actions.push({ type: 'status', status: statusText(next) });
      return { state: next, actions };
    }
    case 'reload-begin':
      // Before READY=1 systemd is still starting us, and a second SIGHUP joins the reload under way.
      if (state.phase !== 'running') return { state, actions: [] };
      return { state: { ...state, phase: 'reloading' }, actions: [{ type: 'reloading', status: 'reloading configuration' }] };
    case 'reload-end':
      if (state.phase !== 'reloading') return { state, actions: [] };
      return { state: { ...state, phase: 'running' }, actions: [{ type: 'ready', status: statusText(state) }] };
    case 'stop-begin':
      return { state: { ...state, phase: 'stopping' }, actions: [{ type: 'stopping', status: 'stopping: draining the server' }] };
  }
}
