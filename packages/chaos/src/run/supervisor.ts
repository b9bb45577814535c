// The harness as the cop's outer supervisor, the way systemd runs tripod.service with Restart=always:
// start the cop, and whenever it is gone (crashed, killed, or stopped) start it again after
// RestartSec. With a foreign cop (attach), it starts its own only once cop.lock is free.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { findLockHolder, identify, isStillAlive, waitUntil, type ProcessIdentity } from '@tripod/core';
import type { ChaosEvent, CopRun } from '../report/model.js';
import { SUBREAPER_SCRIPT, parseReaperLine } from './reaper.js';

export interface SupervisorOptions {
  /** argv of the cop: [node, cop.js, flags…]. */
  readonly command: readonly string[];
  /** Environment without TRIPOD_* (the shim or the spawn adds the instance's). */
  readonly env: NodeJS.ProcessEnv;
  readonly instance: string;
  readonly copLock: string;
  readonly restartMs: number;
  /** fd the cop's (and its children's) stdout and stderr go to. */
  readonly outputFd: number;
  /** Path of perl for the subreaper shim, or null to start the cop directly. */
  readonly perl: string | null;
  /** A bound socket the harness holds for the instance's life, passed to each cop (socket activation; needs the shim). */
  readonly listenFd: number | null;
  readonly onEvent: (event: ChaosEvent) => void;
}

interface Shim {
  readonly process: ChildProcess;
  readonly gone: Promise<void>;
}

/** Period of the check that restarts a cop that is gone. */
export const SUPERVISE_TICK_MS = 100;

export class OuterSupervisor {
  readonly runs: CopRun[] = [];
  private cop: ProcessIdentity | null = null;
  private goneSince: number | null = null;
  private stopping = false;
  private readonly shims = new Set<Shim>();
  private timer: NodeJS.Timeout | null = null;
  private subreaperOk: boolean | null = null;
  /** Perl for the shim; dropped (cop started directly) once a shim failed to start a cop. */
  private perl: string | null;

  constructor(private readonly options: SupervisorOptions) {
    this.perl = options.perl;
  }

  /** 'subreaper' once a shim confirmed PR_SET_CHILD_SUBREAPER. */
  get reaper(): 'subreaper' | 'host-init' {
    return this.subreaperOk ? 'subreaper' : 'host-init';
  }

  /** The live cop this harness started, if any. */
  get current(): ProcessIdentity | null {
    return this.cop !== null && isStillAlive(this.cop) ? this.cop : null;
  }

  isOurCop(pid: number): boolean {
    return this.cop?.pid === pid && isStillAlive(this.cop);
  }

  /** True for the harness's own shims (an orphan's zombie under them is the harness's to reap). */
  isHarnessProcess(pid: number): boolean {
    if (pid === process.pid) return true;
    for (const shim of this.shims) if (shim.process.pid === pid) return true;
    return false;
  }

  /** Starts supervising: a cop now when cop.lock is free, then the restart check. */
  begin(): void {
    if (findLockHolder(this.options.copLock) === null) this.startCop();
    else this.options.onEvent({ at: Date.now(), type: 'cop-attached', pid: findLockHolder(this.options.copLock) });
    this.timer = setInterval(() => this.tick(), SUPERVISE_TICK_MS);
  }

  private tick(): void {
    if (this.stopping || this.current !== null) return;
    if (findLockHolder(this.options.copLock) !== null) {
      this.goneSince = null;
      return;
    }
    const now = Date.now();
    this.goneSince ??= now;
    if (now - this.goneSince >= this.options.restartMs) this.startCop();
  }

  private startCop(): void {
    this.goneSince = null;
    const { command, env, instance, outputFd } = this.options;
    const perl = this.perl;
    const startedAt = Date.now();
    const onCopExit = (pid: number, code: number | null, signal: string | null) => {
      const run = this.runs.find((r) => r.pid === pid && r.exitedAt === null);
      if (run) this.runs[this.runs.indexOf(run)] = { ...run, exitedAt: Date.now(), code, signal };
      this.options.onEvent({ at: Date.now(), type: 'cop-exit', pid, code, signal, restartInMs: this.stopping ? null : this.options.restartMs });
      if (this.cop?.pid === pid) this.cop = null;
      this.goneSince = Date.now();
    };
    const onCopSpawned = (pid: number) => {
      this.cop = identify(pid);
      this.runs.push({ pid, startedAt, exitedAt: null, code: null, signal: null });
      this.options.onEvent({ at: Date.now(), type: 'cop-start', pid, restart: this.runs.length > 1 });
    };
    if (perl === null) {
      const child = spawn(command[0]!, command.slice(1), {
        env: { ...env, TRIPOD_INSTANCE: instance, TRIPOD_TIER: 'cop' },
        detached: true, // terminal signals reach the harness only; it decides
        stdio: ['ignore', outputFd, outputFd],
      });
      if (child.pid === undefined) return;
      onCopSpawned(child.pid);
      const pid = child.pid;
      child.once('exit', (code, signal) => onCopExit(pid, code, signal));
      return;
    }
    const { listenFd } = this.options;
    const shimEnv = listenFd === null ? env : { ...env, CHAOS_LISTEN_FD: '4' };
    const stdio = listenFd === null ? ['ignore', outputFd, outputFd, 'pipe'] : ['ignore', outputFd, outputFd, 'pipe', listenFd];
    const shimProcess = spawn(perl, ['-e', SUBREAPER_SCRIPT, instance, ...command], { env: shimEnv, detached: true, stdio: stdio as ('ignore' | 'pipe' | number)[] });
    const gone = new Promise<void>((resolve) => shimProcess.once('close', () => resolve()));
    const shim: Shim = { process: shimProcess, gone };
    this.shims.add(shim);
    void gone.then(() => {
      this.shims.delete(shim);
      if (spawned) return;
      // The shim could not run (a Perl without POSIX, …): start cops directly from now on.
      this.perl = null;
      this.subreaperOk = false;
      this.options.onEvent({ at: Date.now(), type: 'subreaper-unavailable', code: shimProcess.exitCode });
    });
    let spawned = false;
    const lines = createInterface({ input: shimProcess.stdio[3] as NodeJS.ReadableStream });
    lines.on('line', (text) => {
      const line = parseReaperLine(text);
      if (line === null) return;
      if (line.type === 'subreaper') this.subreaperOk = (this.subreaperOk ?? true) && line.ok;
      else if (line.type === 'spawned') {
        spawned = true;
        onCopSpawned(line.pid);
      }
      else if (line.type === 'exited') onCopExit(line.pid, line.code, line.signal);
      else this.options.onEvent({ at: Date.now(), type: 'orphan-reaped', pid: line.pid, code: line.code, signal: line.signal });
    });
  }

  /** Stops supervising: SIGTERM to the live cop (ours, or the holder of cop.lock), wait for it and the shims. */
  async stop(timeoutMs: number): Promise<'stopped' | 'timeout' | 'not-running'> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    const holder = findLockHolder(this.options.copLock);
    const target = this.current ?? (holder !== null ? identify(holder) : null);
    if (target === null) return 'not-running';
    try {
      process.kill(target.pid, 'SIGCONT');
      process.kill(target.pid, 'SIGTERM');
    } catch {
      return 'not-running';
    }
    this.options.onEvent({ at: Date.now(), type: 'cop-stop', pid: target.pid });
    const deadline = Date.now() + timeoutMs;
    if ((await waitUntil(() => !isStillAlive(target), { timeoutMs, intervalMs: 50 })) === null) return 'timeout';
    await this.waitShims(Math.max(1000, deadline - Date.now()));
    return 'stopped';
  }

  /** Waits (bounded) until every shim has exited, i.e. every orphan it adopted was reaped. */
  async waitShims(timeoutMs: number): Promise<boolean> {
    const all = Promise.all([...this.shims].map((s) => s.gone)).then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([all, timeout]);
  }

  /** Last resort at the end: SIGKILL the shims still there (their orphans then go to init). */
  killShims(): void {
    for (const shim of this.shims) if (shim.process.exitCode === null && shim.process.signalCode === null) shim.process.kill('SIGKILL');
  }
}
