// Signalling the cop. SIGHUP and SIGUSR1 kill a process that has no handler for them yet, so ctl
// signals only a cop that is verified as this instance's and that has written cop-status.json (it
// installs its handlers before its first check cycle, which writes that file).
import { isStillAlive, sendSignal, waitUntil, type RuntimePaths } from '@tripod/core';
import { verifiedHolder } from './holders.js';
import { readCopStatus } from './manager-status.js';

export type CopSignalResult =
  | { readonly sent: true; readonly pid: number }
  | { readonly sent: false; readonly notRunning: boolean; readonly why: string };

/** Sends `signal` to the instance's cop once it can take it, waiting up to `waitMs` for that. */
export async function signalCop(paths: RuntimePaths, instance: string | null, signal: 'SIGHUP' | 'SIGUSR1', waitMs: number): Promise<CopSignalResult> {
  const cop = verifiedHolder(paths, instance, 'cop');
  if (cop.kind === 'none') return { sent: false, notRunning: true, why: 'no cop holds cop.lock (the instance is not running)' };
  if (cop.kind === 'foreign') return { sent: false, notRunning: false, why: `cop.lock is held by PID ${cop.pid}, which is not a cop of this instance` };
  const ready = await waitUntil(() => readCopStatus(paths)?.cop.pid === cop.who.pid, { timeoutMs: waitMs, intervalMs: 100 });
  if (!ready) return { sent: false, notRunning: false, why: `cop PID ${cop.who.pid} has not written cop-status.json yet (still starting?); not sending ${signal}, which would kill it` };
  if (!isStillAlive(cop.who) || !sendSignal(cop.who.pid, signal)) return { sent: false, notRunning: true, why: `cop PID ${cop.who.pid} is gone` };
  return { sent: true, pid: cop.who.pid };
}
