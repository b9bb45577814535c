// The cop's check decisions, pure: what the lock files and heartbeats showed → what to do.
import type { PingReply, ProbeResult } from '@tripod/core';

export interface TierWatch {
  /** The lock holder being watched (a new holder resets the count and starts a grace period). */
  readonly pid: number | null;
  readonly since: number;
  readonly failures: number;
}

export interface CheckState {
  readonly manager: TierWatch;
  readonly server: TierWatch;
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
  readonly probe: ProbeResult<number> | null;
}

export interface CheckPolicy {
  readonly probeFailures: number;
  readonly startGraceMs: number;
}

export type CheckAction =
  | { readonly type: 'start-manager' }
  | { readonly type: 'kill'; readonly tier: 'manager' | 'server'; readonly pid: number; readonly cause: 'heartbeat' | 'server-lock-free'; readonly reason: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly event: string; readonly fields: Record<string, unknown> };

/** Lock misses in a row after which a manager that expects a server is judged to be failing. */
export const SERVER_LOCK_MISSES = 2;

export const INITIAL_CHECK_STATE: CheckState = Object.freeze({
  manager: { pid: null, since: 0, failures: 0 },
  server: { pid: null, since: 0, failures: 0 },
  serverLockMisses: 0,
});

function follow(watch: TierWatch, holder: number | null, now: number): TierWatch {
  return watch.pid === holder ? watch : { pid: holder, since: now, failures: 0 };
}

/** Counts one probe result against a watched tier; returns the new watch and whether it is now judged wedged. */
function count(
  watch: TierWatch,
  result: ProbeResult<unknown>,
  failed: string | null,
  tier: 'manager' | 'server',
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

/** One check cycle's decision. */
export function decideCheck(state: CheckState, obs: Observation, policy: CheckPolicy): { state: CheckState; actions: CheckAction[] } {
  const actions: CheckAction[] = [];
  let manager = follow(state.manager, obs.managerHolder, obs.now);
  let server = follow(state.server, obs.serverHolder, obs.now);
  let misses = state.serverLockMisses;

  if (obs.managerHolder === null) {
    if (!obs.managerStarting) actions.push({ type: 'start-manager' });
    return { state: { manager, server, serverLockMisses: 0 }, actions };
  }

  if (obs.ping) {
    manager = count(manager, obs.ping, obs.ping.ok ? null : obs.ping.error, 'manager', obs, policy, actions);
    if (obs.ping.ok && obs.ping.value.serverExpected && obs.serverHolder === null) {
      misses++;
      actions.push({ type: 'log', level: 'warn', event: 'server.lock-free', fields: { n: misses, of: SERVER_LOCK_MISSES } });
      if (misses >= SERVER_LOCK_MISSES) {
        actions.push({ type: 'kill', tier: 'manager', pid: obs.managerHolder, cause: 'server-lock-free', reason: 'manager expects a server but server.lock stayed free' });
        misses = 0;
      }
    } else misses = 0;
  }

  if (obs.serverHolder !== null && obs.probe) {
    let failed: string | null = null;
    if (!obs.probe.ok) failed = obs.probe.error;
    else if (obs.probe.value !== obs.serverHolder) failed = `answered by PID ${obs.probe.value}, lock held by ${obs.serverHolder}`;
    server = count(server, obs.probe, failed, 'server', obs, policy, actions);
  }
  return { state: { manager, server, serverLockMisses: misses }, actions };
}
