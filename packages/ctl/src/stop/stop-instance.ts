// `tripod stop`: SIGTERM to the cop (the verified holder of cop.lock), which stops the instance
// gracefully; wait until no process of the instance is left and every lock is free; past the timeout,
// SIGKILL what remains, each one verified by (pid, starttime) and environment before the signal.
import { instanceGone, instanceRemains, isStillAlive, sendSignal, waitUntil, type InstanceProcess, type RuntimePaths } from '@tripod/core';
import { instanceOf, type Ctl } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { isOurs, verifiedHolder } from '../instance/holders.js';
import { instanceProcesses } from '../instance/processes.js';
import { say } from '../output.js';

const POLL_MS = 150;
/** How long the SIGKILLed remains get to disappear. */
export const KILL_WAIT_MS = 5000;

/** The processes of the instance still there (an unmarked cop holding cop.lock included), and the locks still held. */
export function remains(instance: string, paths: RuntimePaths): { procs: InstanceProcess[]; locks: string[] } {
  return { procs: instanceProcesses(instance, paths), locks: instanceRemains(instance, paths).locks.map((t) => `${t}.lock`) };
}

/** True once nothing of the instance is left; false at the deadline. (An unmarked cop holds cop.lock, so the locks cover it.) */
async function waitGone(instance: string, paths: RuntimePaths, ms: number): Promise<boolean> {
  return (await waitUntil(() => instanceGone(instance, paths), { timeoutMs: ms, intervalMs: POLL_MS })) !== null;
}

/** Sends `signal` to `p` if it is still the same process and still a tier of the instance; to its group when it leads one. */
function signalVerified(p: InstanceProcess, instance: string, signal: NodeJS.Signals, group: boolean): boolean {
  if (!isStillAlive(p) || !isOurs(p.pid, instance, p.tier).ours) return false;
  return sendSignal(group && p.pgrp === p.pid ? -p.pid : p.pid, signal);
}

function describe(procs: readonly InstanceProcess[]): string {
  return procs.map((p) => `${p.tier} PID ${p.pid}`).join(', ');
}

/** Asks whatever leads the instance to stop: the cop; without a cop, the manager; without either, each process. */
function askToStop(ctl: Ctl, instance: string): 'asked' | 'nothing' | 'foreign' {
  const cop = verifiedHolder(ctl.paths, instance, 'cop');
  if (cop.kind === 'foreign') {
    say(`${ctl.paths.lockFile('cop')} is held by PID ${cop.pid}, which is not a cop of this instance; refusing to signal it`);
    return 'foreign';
  }
  if (cop.kind === 'ours' && isStillAlive(cop.who) && sendSignal(cop.who.pid, 'SIGTERM')) {
    say(`stopping: SIGTERM to cop PID ${cop.who.pid}`);
    return 'asked';
  }
  const manager = verifiedHolder(ctl.paths, instance, 'manager');
  if (manager.kind === 'ours' && isStillAlive(manager.who) && sendSignal(manager.who.pid, 'SIGTERM')) {
    say(`no cop holds cop.lock; stopping: SIGTERM to manager PID ${manager.who.pid}`);
    return 'asked';
  }
  const procs = remains(instance, ctl.paths).procs;
  if (procs.length === 0) return 'nothing';
  say(`no cop or manager; stopping: SIGTERM to ${describe(procs)}`);
  for (const p of procs) signalVerified(p, instance, 'SIGTERM', false);
  return 'asked';
}

/** Stops the instance; resolves with ctl's exit code (0 when nothing of it is left). */
export async function stopInstance(ctl: Ctl, timeoutMs: number): Promise<number> {
  const instance = instanceOf(ctl);
  if (instance === null) {
    say(`not running (${ctl.config.runtimeDir} does not exist)`);
    return CTL_EXIT.OK;
  }
  const started = Date.now();
  const asked = askToStop(ctl, instance);
  if (asked === 'foreign') return CTL_EXIT.FAILURE;
  if (asked === 'nothing') {
    say(`not running (no process of the instance at ${ctl.config.runtimeDir})`);
    return CTL_EXIT.OK;
  }
  if (await waitGone(instance, ctl.paths, timeoutMs)) {
    say(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return CTL_EXIT.OK;
  }
  const left = remains(instance, ctl.paths);
  say(`still running after ${timeoutMs / 1000} s: ${describe(left.procs) || 'none'}${left.locks.length ? `; locks held: ${left.locks.join(', ')}` : ''}; sending SIGKILL`);
  for (const p of left.procs) signalVerified(p, instance, 'SIGKILL', true);
  if (await waitGone(instance, ctl.paths, KILL_WAIT_MS)) {
    say(`stopped (killed: ${describe(left.procs)})`);
    return CTL_EXIT.OK;
  }
  const still = remains(instance, ctl.paths);
  say(`could not stop everything: ${describe(still.procs) || 'no process'} left${still.locks.length ? `, locks held: ${still.locks.join(', ')}` : ''}`);
  return CTL_EXIT.FAILURE;
}
