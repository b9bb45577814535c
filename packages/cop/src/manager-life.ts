// The cop's decisions about the manager's life, pure: which manager it watches (one it spawned, or one
// it adopted), the tally of its deaths and the restart backoff. A state x event table (docs/architecture.md):
//
//   watched \ event | spawned P | exited Q (a child of ours)                  | observed: lock held by H    | observed: lock free
//   ----------------+-----------+---------------------------------------------+-----------------------------+-------------------------------------
//   none            | spawned P | log exit; tally, backoff, re-check          | adopted H                   | -
//   spawned P       | spawned P | Q=P: none; log exit; tally, backoff, re-check | H=P: -; else adopted H    | - (P starting, or its exit is coming)
//                   |           | Q≠P: log exit; tally, backoff, re-check     |                             |
//   adopted A       | spawned P | log exit; tally, backoff, re-check          | H=A: -; else adopted H      | none; log exit (adopted); tally, backoff, re-check
//
// "tally, backoff": the death joins the last 32, core's restart policy says after how long the next
// manager may start; "re-check": a check cycle is asked for after that delay. A requested exit (the
// instance is stopping) is logged and nothing else.
import { decideRestart, type Death, type RestartPolicy } from '@tripod/core/policy/restart-policy';

export interface WatchedManager {
  readonly pid: number;
  /** `spawned`: the cop's child, its exit is seen at once; `adopted`: found holding manager.lock (a cop restart). */
  readonly origin: 'spawned' | 'adopted';
  readonly since: number;
}

export interface ManagerLife {
  readonly watched: WatchedManager | null;
  /** The manager's recent deaths, oldest first (at most DEATHS_KEPT). */
  readonly deaths: readonly Death[];
  /** No manager starts before this (a crash-loop backoff); 0 when none. */
  readonly nextStartAt: number;
}

export type LifeEvent =
  | { readonly type: 'spawned'; readonly pid: number; readonly at: number }
  | { readonly type: 'exited'; readonly pid: number | null; readonly code: number | null; readonly signal: string | null; readonly at: number; readonly requested: boolean }
  | { readonly type: 'observed'; readonly holder: number | null; readonly at: number };

export type LifeAction =
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly event: string; readonly fields: Record<string, unknown> }
  /** Record the exit in cop-status.json (managerLastExit). */
  | { readonly type: 'record-exit'; readonly pid: number | null; readonly code: number | null; readonly signal: string | null; readonly at: number }
  /** cop-status.json's managerBackoffUntil. */
  | { readonly type: 'backoff-until'; readonly at: number | null }
  /** Run a check cycle after `ms` (it starts the next manager once the backoff allows). */
  | { readonly type: 'check-after'; readonly ms: number };

export interface LifeContext {
  readonly policy: RestartPolicy;
  /** A number in [0, 1) for the backoff's jitter. */
  readonly random: number;
  /** When a server last answered its heartbeat (the manager under it was healthy), or null. */
  readonly lastServedAt: number | null;
}

export const DEATHS_KEPT = 32;
export const INITIAL_LIFE: ManagerLife = Object.freeze({ watched: null, deaths: [], nextStartAt: 0 });

/** True when the backoff lets a manager start at `now`. */
export function mayStartManager(life: ManagerLife, now: number): boolean {
  return now >= life.nextStartAt;
}

/** A manager died unasked: tally it, decide the backoff, ask for a check cycle. */
function died(life: ManagerLife, dead: { pid: number | null; code: number | null; signal: string | null; since: number }, at: number, ctx: LifeContext): { state: ManagerLife; actions: LifeAction[] } {
  // A manager under which the service answered was healthy: restart the next one at once, because
  // its death may have taken the server with it (a drain), and a backoff would leave nothing serving.
  const healthy = (ctx.lastServedAt ?? 0) > dead.since;
  const death: Death = { at, code: dead.code, signal: dead.signal, requested: false, uptimeMs: at - dead.since, healthy };
  const deaths = [...life.deaths, death].slice(-DEATHS_KEPT);
  const decision = decideRestart(deaths, ctx.policy, () => ctx.random);
  const delayMs = decision.action === 'restart' ? decision.delayMs : 0;
  const actions: LifeAction[] = [{ type: 'record-exit', pid: dead.pid, code: dead.code, signal: dead.signal, at }];
  if (decision.action === 'restart' && delayMs > 0) actions.push({ type: 'log', level: 'warn', event: 'manager.backoff', fields: { delayMs, consecutive: decision.consecutive } });
  const nextStartAt = delayMs > 0 ? at + delayMs : life.nextStartAt;
  actions.push({ type: 'backoff-until', at: delayMs > 0 ? nextStartAt : null }, { type: 'check-after', ms: delayMs });
  return { state: { ...life, deaths, nextStartAt }, actions };
}

/** The next state and what to do, for one event. */
export function decideLife(life: ManagerLife, event: LifeEvent, ctx: LifeContext): { state: ManagerLife; actions: LifeAction[] } {
  const w = life.watched;
  switch (event.type) {
    case 'spawned':
      return { state: { ...life, watched: { pid: event.pid, origin: 'spawned', since: event.at } }, actions: [] };
    case 'exited': {
      const { pid, code, signal, requested, at } = event;
      const log: LifeAction = { type: 'log', level: requested ? 'info' : 'warn', event: 'manager.exit', fields: { pid, code, signal, requested } };
      const ours = w?.origin === 'spawned' && w.pid === pid ? w : null;
      const rest = ours ? { ...life, watched: null } : life;
      if (requested) return { state: rest, actions: [log] };
      const next = died(rest, { pid, code, signal, since: ours?.since ?? at }, at, ctx);
      return { state: next.state, actions: [log, ...next.actions] };
    }
    case 'observed': {
      const { holder, at } = event;
      if (holder !== null) return w?.pid === holder ? { state: life, actions: [] } : { state: { ...life, watched: { pid: holder, origin: 'adopted', since: at } }, actions: [] };
      if (w?.origin !== 'adopted') return { state: life, actions: [] };
      // An adopted manager is not our child: its exit is seen only as its lock going free.
      const log: LifeAction = { type: 'log', level: 'warn', event: 'manager.exit', fields: { pid: w.pid, code: null, signal: null, requested: false, adopted: true } };
      const next = died({ ...life, watched: null }, { pid: w.pid, code: null, signal: null, since: w.since }, at, ctx);
      return { state: next.state, actions: [log, ...next.actions] };
    }
  }
}
