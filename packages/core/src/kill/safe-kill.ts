// Safe-kill: verify (pid, starttime) before every signal, escalate core signal → SIGTERM → SIGKILL of the
// group, bound every wait, treat "already gone" (ESRCH) as a result, not an error.
import type { ProcessIdentity } from '../proc/identity.js';

export interface KillTarget extends ProcessIdentity {
  readonly tier: string;
  /** True when the target leads its own process group, so SIGKILL may go to the whole group. */
  readonly leadsGroup: boolean;
}

export interface SafeKillOptions {
  readonly reason: string;
  /** Sent first (e.g. SIGABRT for a core dump of a hung process); null for none. */
  readonly coreSignal: NodeJS.Signals | null;
  /** How long to wait after the core signal, and after SIGTERM, before escalating. */
  readonly graceMs: number;
  /** How long to wait after SIGKILL for the process to disappear. */
  readonly killWaitMs: number;
  /**
   * Skip SIGTERM: for a wedged process whose SIGTERM handler would do harm if it ran (a manager's
   * SIGTERM drains the healthy server it supervises, where SIGKILL leaves that server serving).
   */
  readonly skipTerm?: boolean;
  /** The stop was asked for (an instance stop): its signals and a graceful exit are logged at info, not warn. */
  readonly planned?: boolean;
}

export type SafeKillOutcome = 'already-gone' | 'exited' | 'killed' | 'survived';

/** The effects safe-kill needs; real ones in `realKillDeps`, fakes in tests. */
export interface KillDeps {
  isStillAlive(who: ProcessIdentity): boolean;
  /** Sends `signal` to `pid` (negative: a process group); returns false on ESRCH. */
  signal(pid: number, signal: NodeJS.Signals): boolean;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** `level`: info for the expected steps of a planned stop, warn otherwise (a caller may log all at one level). */
  log(event: string, fields: Record<string, unknown>, level: KillLogLevel): void;
}

export type KillLogLevel = 'info' | 'warn';

const POLL_MS = 20;

async function waitGone(target: KillTarget, ms: number, deps: KillDeps): Promise<boolean> {
  const deadline = deps.now() + ms;
  while (deps.isStillAlive(target)) {
    if (deps.now() >= deadline) return false;
    await deps.sleep(POLL_MS);
  }
  return true;
}

/** Stops `target` if it is still the process we mean; every wait is bounded. */
export async function safeKill(target: KillTarget, options: SafeKillOptions, deps: KillDeps): Promise<SafeKillOutcome> {
  const fields = { pid: target.pid, tier: target.tier, reason: options.reason };
  const expected: KillLogLevel = options.planned ? 'info' : 'warn';
  if (!deps.isStillAlive(target)) {
    deps.log('kill.already-gone', fields, expected);
    return 'already-gone';
  }
  const steps: NodeJS.Signals[] = [...(options.coreSignal ? [options.coreSignal] : []), ...(options.skipTerm ? [] : ['SIGTERM' as const])];
  for (const sig of steps) {
    if (!deps.isStillAlive(target)) return 'exited';
    deps.log('kill.signal', { ...fields, signal: sig }, expected);
    if (!deps.signal(target.pid, sig)) return 'exited';
    if (await waitGone(target, options.graceMs, deps)) {
      deps.log('kill.exited', { ...fields, after: sig }, expected);
      return 'exited';
    }
  }
  if (!deps.isStillAlive(target)) return 'exited';
  const victim = target.leadsGroup ? -target.pid : target.pid;
  deps.log('kill.signal', { ...fields, signal: 'SIGKILL', group: target.leadsGroup }, 'warn');
  deps.signal(victim, 'SIGKILL');
  if (await waitGone(target, options.killWaitMs, deps)) return 'killed';
  deps.log('kill.survived', fields, 'warn');
  return 'survived';
}
