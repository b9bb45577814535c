// The cop's check decisions, pure: what the lock files and heartbeats showed → what to do. The server
// is judged on its progress (server-liveness.ts), the manager on its ping.
import type { ProbeResult } from '@tripod/core/heartbeat';
import type { PingReply } from '@tripod/core/wire/control';
import type { LivenessReport } from '@tripod/core/wire/liveness';
import { freshWatch, INITIAL_SERVER_WATCH, judgeServer, type LivenessPolicy, type ServerWatch } from './server-liveness.js';

export interface TierWatch {
  /** The lock holder being watched (a new holder resets the count and starts a grace period). */
  readonly pid: number | null;
  readonly since: number;
  readonly failures: number;
}

export interface CheckState {
  readonly manager: TierWatch;
  /** The server holding the first slot lock (server.lock): judged on its liveness and the heartbeat through the port. */
  readonly server: ServerWatch;
  /** The other servers of a pool (server.<k>.lock holders): each judged on its own liveness. */
  readonly others: readonly ServerWatch[];
  /** Checks in a row in which the manager expected a server but server.lock was free. */
  readonly serverLockMisses: number;
}

export interface Observation {
  readonly now: number;
  readonly managerHolder: number | null;
  /** A manager the cop started has not yet had time to take its lock. */
  readonly managerStarting: boolean;
  readonly ping: ProbeResult<PingReply> | null;
  readonly serverHolder: number | null;
  /** The server's liveness socket (progress), null when not asked. */
  readonly liveness: ProbeResult<LivenessReport> | null;
  /** The heartbeat through the listening port: the token of the server that answered. A service signal. */
  readonly probe: ProbeResult<string> | null;
  /** The other slot lock holders of a pool, each with its liveness answer. */
  readonly others?: readonly OtherServer[];
}

export interface OtherServer {
  readonly holder: number;
  readonly liveness: ProbeResult<LivenessReport> | null;
}

export interface CheckPolicy extends LivenessPolicy {
  /** Failed pings in a row that mean the manager is wedged. */
  readonly probeFailures: number;
}

export type KillCause = 'heartbeat' | 'server-lock-free' | 'hang' | 'slow' | 'stall';

export type CheckAction =
  | { readonly type: 'start-manager' }
  | { readonly type: 'kill'; readonly tier: 'manager' | 'server'; readonly pid: number; readonly cause: KillCause; readonly reason: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly event: string; readonly fields: Record<string, unknown> };

/** Lock misses in a row after which a manager that expects a server is judged to be failing. */
export const SERVER_LOCK_MISSES = 2;

export const INITIAL_CHECK_STATE: CheckState = Object.freeze({
  manager: { pid: null, since: 0, failures: 0 },
  server: INITIAL_SERVER_WATCH,
  others: [],
  serverLockMisses: 0,
});

function follow(watch: TierWatch, holder: number | null, now: number): TierWatch {
  return watch.pid === holder ? watch : { pid: holder, since: now, failures: 0 };
}

/** Counts one ping against the manager's watch; returns the new watch and whether it is now judged wedged. */
function count(
  watch: TierWatch,
  result: ProbeResult<unknown>,
  failed: string | null,
  tier: 'manager',
  obs: Observation,
  policy: CheckPolicy,
  actions: CheckAction[],
): TierWatch {
  if (failed === null) return watch.failures === 0 ? watch : { ...watch, failures: 0 };
  if (obs.now - watch.since < policy.startGraceMs) {
    actions.push({ type: 'log', level: 'info', event: 'heartbeat.fail-in-grace', fields: { tier, pid: watch.pid, error: failed, ms: result.ms } });
    return watch;
  }
  const failures = watch.failures + 1;
  actions.push({ type: 'log', level: 'warn', event: 'heartbeat.fail', fields: { tier, pid: watch.pid, n: failures, of: policy.probeFailures, error: failed, ms: result.ms } });
  if (failures < policy.probeFailures) return { ...watch, failures };
  actions.push({ type: 'kill', tier, pid: watch.pid!, cause: 'heartbeat', reason: `${failures} heartbeat failures (last: ${failed})` });
  return { ...watch, failures: 0 };
}

/** The token of the server holding server.lock: from this check's liveness answer, else the last one. */
export function holderToken(state: CheckState, obs: Pick<Observation, 'serverHolder' | 'liveness'>): string | null {
  if (obs.liveness?.ok && obs.liveness.value.pid === obs.serverHolder) return obs.liveness.value.token;
  return state.server.pid === obs.serverHolder ? (state.server.report?.token ?? null) : null;
}

/** The heartbeat through the port as a service signal: a failure when another server (another token) answered. */
function service(state: CheckState, obs: Observation): ProbeResult<string> | null {
  const { probe } = obs;
  const token = holderToken(state, obs);
  if (probe === null || !probe.ok || token === null || probe.value === token) return probe;
  return { ok: false, error: `answered by another server than the lock holder (PID ${obs.serverHolder})`, ms: probe.ms };
}

/** One check cycle's decision. */
export function decideCheck(state: CheckState, obs: Observation, policy: CheckPolicy): { state: CheckState; actions: CheckAction[] } {
  const actions: CheckAction[] = [];
  let manager = follow(state.manager, obs.managerHolder, obs.now);
  let misses = state.serverLockMisses;

  if (obs.managerHolder === null) {
    if (!obs.managerStarting) actions.push({ type: 'start-manager' });
    const server = state.server.pid === obs.serverHolder ? state.server : freshWatch(obs.serverHolder, obs.now);
    const others = (obs.others ?? []).map((o) => state.others.find((w) => w.pid === o.holder) ?? freshWatch(o.holder, obs.now));
    return { state: { manager, server, others, serverLockMisses: 0 }, actions };
  }

  if (obs.ping) {
    manager = count(manager, obs.ping, obs.ping.ok ? null : obs.ping.error, 'manager', obs, policy, actions);
    if (obs.ping.ok && obs.ping.value.serverExpected && obs.serverHolder === null) {
      misses++;
      // One miss is routine: a new server answers first and takes its lock a moment later.
      actions.push({ type: 'log', level: misses < SERVER_LOCK_MISSES ? 'info' : 'warn', event: 'server.lock-free', fields: { n: misses, of: SERVER_LOCK_MISSES } });
      if (misses >= SERVER_LOCK_MISSES) {
        actions.push({ type: 'kill', tier: 'manager', pid: obs.managerHolder, cause: 'server-lock-free', reason: 'manager expects a server but server.lock stayed free' });
        misses = 0;
      }
    } else misses = 0;
  }

  const judged = judgeServer(state.server, { now: obs.now, holder: obs.serverHolder, liveness: obs.liveness, service: service(state, obs) }, policy);
  const server = judged.watch;
  for (const log of judged.logs) actions.push({ type: 'log', ...log });
  if (judged.kill && obs.serverHolder !== null) actions.push({ type: 'kill', tier: 'server', pid: obs.serverHolder, ...judged.kill });
  const others = judgeOthers(state, obs, policy, actions);
  return { state: { manager, server, others, serverLockMisses: misses }, actions };
}

/**
 * The other servers of a pool, each on its own liveness (the heartbeat through the port reaches
 * whichever server accepts, so it says nothing about one of them): a wedged one is killed while the
 * rest serve, and its slot is refilled by the manager.
 */
function judgeOthers(state: CheckState, obs: Observation, policy: CheckPolicy, actions: CheckAction[]): ServerWatch[] {
  const watches: ServerWatch[] = [];
  for (const other of obs.others ?? []) {
    const previous = state.others.find((w) => w.pid === other.holder) ?? freshWatch(other.holder, obs.now);
    const judged = judgeServer(previous, { now: obs.now, holder: other.holder, liveness: other.liveness, service: null }, policy);
    for (const log of judged.logs) actions.push({ type: 'log', ...log });
    if (judged.kill) actions.push({ type: 'kill', tier: 'server', pid: other.holder, ...judged.kill });
    watches.push(judged.watch);
  }
  return watches;
}

/**
 * The heartbeat through the port as the pool sees it: an answer carrying the token of any server of the
 * pool is an answer from the pool, so it counts for the first slot's holder (`token`).
 */
export function poolAnswer(probe: ProbeResult<string> | null, token: string | null, state: CheckState, others: readonly OtherServer[]): ProbeResult<string> | null {
  if (probe === null || !probe.ok || token === null || probe.value === token) return probe;
  const tokens = new Set<string>();
  for (const o of others) {
    if (o.liveness?.ok && o.liveness.value.pid === o.holder) tokens.add(o.liveness.value.token);
    const known = state.others.find((w) => w.pid === o.holder)?.report?.token;
    if (known) tokens.add(known);
  }
  return tokens.has(probe.value) ? { ...probe, value: token } : probe;
}

/**
 * A keeper's answer (exec mode) as the heartbeat through the port: its foreign program cannot answer
 * the synthetic heartbeat, so the keeper proves instead that the program's own processes accept through
 * the listening socket (docs/exec.md). That proof is an answer from the lock holder itself: its token.
 */
export function keeperAnswer(result: ProbeResult<number>, token: string | null): ProbeResult<string> {
  if (!result.ok) return result;
  return { ok: true, value: token ?? `keeper:${result.value}`, ms: result.ms };
}
