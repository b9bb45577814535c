// Exec mode's server tier: the keeper. To the manager it is a server like the Node host (spawned the
// same way, `standby`/`ready`/`locked`/`drained`, server.lock, drain on SIGTERM, exit status); instead
// of loading a Node application it keeps a foreign program in its own process group, speaking systemd's
// socket-activation protocol to it. Its life and the program's are tied: the program dies with the
// keeper (PR_SET_PDEATHSIG), and the keeper ends the way the program ended. See docs/exec.md.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TripodConfig } from '@tripod/core/config/config';
import { TripodError } from '@tripod/core/errors';
import { keeperSocketPath } from '@tripod/core/exec/keeper-socket';
import { KEEPER_VERSION, type KeeperAnswer } from '@tripod/core/wire/keeper';
import type { HeldLock } from '@tripod/core/lock/lockfile';
import { checkRuntimeDir } from '@tripod/core/lock/runtime-dir';
import { createLog, type Log } from '@tripod/core/log/logger';
import { runtimePaths } from '@tripod/core/paths';
import { serverLockPath } from '@tripod/core/pool/slots';
import { readEnviron, readStat } from '@tripod/core/proc/read';
import { tellManager, waitForGo } from '../ipc.js';
import { takeServerLock, waitForStopSignal } from '../lifecycle.js';
import type { ServerOptions } from '../main.js';
import { endLike, type WaitStatus } from './exit-status.js';
import { judgeActivity } from './activity.js';
import { PROC_FILES, sampleActivity, type ProcFiles } from './activity-reader.js';
import { decideLiveness, isActiveNow, isBusyNotHung, isWatchdogMissed, progressAgeMs, type HealthState } from './health.js';
import { serveLiveness } from './liveness.js';
import { serveProgress } from './progress-socket.js';
import type { NotifyMessage } from './notify-message.js';
import { notifySocketAddress, openNotifySocket } from './notify-socket.js';
import { prove, waitsForConnections, type ProofTarget } from './probe.js';
import { processTree } from '@tripod/core/proc/tree';
import { ENV_KEEPER, leftovers, OutputLog, signalQuietly, startProgram } from './program.js';

const READY_PROBE_PAUSE_MS = 50;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Event = { type: 'ready' } | { type: 'locked'; lock: HeldLock } | { type: 'exited'; status: WaitStatus } | { type: 'stop'; signal: NodeJS.Signals };

/** One kept program: its process, its health as the notify socket and the probes report it, and the ways to end it. */
class Kept {
  health: HealthState;
  private onReady: (() => void) | null = null;
  readonly readyByNotify = new Promise<void>((resolve) => (this.onReady = resolve));
  child: ChildProcess | null = null;
  /** Proofs and WATCHDOG=1 so far (the liveness report's turns). */
  turns = 0;
  private readonly start = readStat(process.pid)?.starttime ?? 0;

  constructor(private readonly config: TripodConfig, private readonly log: Log) {
    // A proof shows progress for a check interval plus a probe deadline: slow proofs under load do not count as a hang.
    const staleMs = config.checkIntervalMs + config.probeTimeoutMs;
    this.health = { ready: false, stopping: false, watchdogMs: config.execWatchdogMs, lastWatchdogAt: 0, lastProofAt: null, lastProofError: null, lastActivityAt: null, lastStill: null, staleMs };
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  /** A datagram from the program. */
  onNotify(message: NotifyMessage): void {
    const { log } = this;
    if (message.watchdog) {
      this.health = { ...this.health, lastWatchdogAt: Date.now() };
      this.turns++;
    }
    if (message.status !== null) log.debug('exec.status', { status: message.status });
    if (message.stopping) log.info('exec.stopping', {});
    if (message.reloading) log.info('exec.reloading', {});
    if (message.errno !== null) log.warn('exec.errno', { errno: message.errno });
    if (message.mainPid !== null) {
      // Never trusted blindly: only a process of the program's own tree carrying our marker counts, and it changes nothing but the log.
      const ours = this.pid > 0 && processTree(this.pid).includes(message.mainPid) && readEnviron(message.mainPid)?.get(ENV_KEEPER) === String(process.pid);
      log[ours ? 'info' : 'warn']('exec.mainpid', { claimed: message.mainPid, accepted: ours, note: 'the keeper keeps supervising the PID it started' });
    }
    if (message.watchdogTrigger) this.killTree('SIGKILL', 'WATCHDOG=trigger');
    if (message.ready) this.onReady?.();
  }

  /** Signals the program, its descendants and whatever escaped them (found by their TRIPOD_KEEPER marker). */
  killTree(signal: NodeJS.Signals, reason: string): void {
    const pids = new Set([...(this.pid > 0 ? processTree(this.pid) : []), ...leftovers(process.pid, this.start)]);
    this.log.warn('exec.kill', { signal, reason, pids: [...pids] });
    for (const pid of pids) signalQuietly(pid, signal);
  }

  hasLeftovers(): boolean {
    return leftovers(process.pid, this.start).length > 0;
  }

  /** Resumes a stopped program (the cop resumes only the keeper it signals), then sends the stop signal. */
  askToStop(): void {
    for (const pid of processTree(this.pid)) if (readStat(pid)?.state === 'T') signalQuietly(pid, 'SIGCONT');
    signalQuietly(this.pid, this.config.stopSignal);
  }

  proofTarget(): ProofTarget {
    const ready = this.config.ready.kind === 'notify' ? ({ kind: 'tcp' } as const) : this.config.ready;
    return { listener: this.config.listen[0]!, ready, rootPid: this.pid };
  }

  /** The cop's question, answered at once from the state (the prover keeps it fresh). */
  answer(): KeeperAnswer {
    return { version: KEEPER_VERSION, pid: process.pid, programPid: this.pid, ...decideLiveness(this.health, Date.now()) };
  }

  /** Proves, every half check interval while serving and /proc shows no system calls, that the program's own processes accept. */
  async prove(): Promise<void> {
    const every = Math.max(50, Math.floor(this.config.checkIntervalMs / 2));
    let busy = false;
    while (this.health.ready && !this.health.stopping) {
      // The last look at /proc showed system calls: that is progress already, and a busy program's
      // queue would only keep the probe waiting (and the probe's reads cost the CPU it needs).
      if (isActiveNow(this.health, Date.now(), 2 * every)) {
        await sleep(every);
        continue;
      }
      const outcome = await prove(this.proofTarget(), this.health.staleMs);
      // In a pool a proof may only ever reach the other members; an idle program of ours still shows it can accept.
      const idle = outcome.result === 'elsewhere' && waitsForConnections(this.pid);
      if (outcome.result === 'proven' || idle) {
        this.health = { ...this.health, lastProofAt: Date.now(), lastProofError: null };
        this.turns++;
        if (busy) this.log.info('exec.busy-over', { programPid: this.pid });
        busy = false;
      } else this.health = { ...this.health, lastProofError: outcome.result === 'failed' ? outcome.error : 'accepted by another process' };
      if (!busy && isBusyNotHung(this.health, Date.now(), this.config.hangAfterMs)) {
        busy = true;
        this.log.warn('exec.busy', { programPid: this.pid, proofError: this.health.lastProofError, activityAgeMs: Date.now() - this.health.lastActivityAt!, note: 'the proof probe was not accepted in time, but its processes make system calls: busy, not hung' });
      }
      await sleep(every);
    }
  }

  /**
   * Looks at the program's processes in /proc every half check interval while serving: system calls
   * since the last look are progress (activity.ts), so a program too busy to accept the proof probe in
   * time is not taken for a hung one.
   */
  async watchActivity(proc: ProcFiles = PROC_FILES): Promise<void> {
    const every = Math.max(50, Math.floor(this.config.checkIntervalMs / 2));
    let previous = sampleActivity(this.pid, Date.now(), proc);
    while (this.health.ready && !this.health.stopping) {
      await sleep(every);
      const next = sampleActivity(this.pid, Date.now(), proc);
      const verdict = judgeActivity(previous, next);
      // The system calls happened after the previous look: dated then, so a hang is not dated later than it began.
      const since = previous.at;
      previous = next;
      if (verdict.progress) {
        this.health = { ...this.health, lastActivityAt: since, lastStill: null };
        this.turns++;
      } else this.health = { ...this.health, lastStill: verdict.why };
    }
  }

  /** Resolves once a proof probe shows the program answers (ready modes tcp and http). */
  async provenReady(): Promise<void> {
    for (;;) {
      const outcome = await prove(this.proofTarget(), this.config.probeTimeoutMs);
      if (outcome.result === 'proven') return;
      this.log.debug('exec.not-ready', { outcome });
      await sleep(READY_PROBE_PAUSE_MS);
    }
  }
}

/** Runs the keeper; ends the process like the program ended (or returns an exit code when it never started one). */
export async function runKeeper(options: ServerOptions): Promise<number> {
  const { config } = options;
  const paths = runtimePaths(config.runtimeDir, config.logDir);
  const log = createLog({ tier: 'server', file: paths.logFile('server'), level: config.logLevel, console: true, lazy: true });
  void log.activate();
  let output: OutputLog | null = null;
  process.on('SIGHUP', () => {
    log.reopen();
    output?.reopen();
  });
  const stopRequested = waitForStopSignal();
  const keepAlive = setInterval(() => undefined, 1 << 30);
  checkRuntimeDir(config.runtimeDir, { allowInsecure: config.allowInsecureDirs });
  if (options.inheritedFds < 1) {
    throw new TripodError('ERR_CONFIG_INVALID', 'exec mode needs the listening sockets from its manager: start it with tripod start or tripod-cop, not tripod-server by hand');
  }
  let slot = options.slot;
  if (options.standby) {
    tellManager({ type: 'standby', pid: process.pid });
    const go = await waitForGo(stopRequested);
    if (go === null) {
      clearInterval(keepAlive);
      if (process.connected) process.disconnect?.(); // an orphaned standby (its manager gone) is disconnected already
      await log.close();
      return 0;
    }
    slot = go.slot;
    log.info('server.promoted', { slot });
  }
  // Each slot of a pool writes its program's output to a file of its own.
  output = new OutputLog(join(config.logDir, slot === 0 ? 'server-exec.log' : `server-exec.${slot}.log`));

  // Start: the notify socket, then the program through the prelude, then the cop's liveness socket.
  const kept = new Kept(config, log);
  const notify = await openNotifySocket(notifySocketAddress(config.runtimeDir, process.pid), (m) => kept.onNotify(m), (error) => log.warn('exec.notify-error', { error }));
  kept.child = startProgram({
    argv: config.exec!, cwd: config.execCwd, backlog: config.backlog, output, base: process.env, keeperPid: process.pid,
    fdNames: Array.from({ length: options.inheritedFds }, (_, i) => `tcp-${config.listen[i]?.port ?? i}`),
    notifySocket: notify.address, watchdogMs: config.execWatchdogMs,
  });
  const exited = new Promise<WaitStatus>((resolve) => {
    kept.child!.once('exit', (code, signal) => resolve({ code, signal }));
    kept.child!.once('error', (err) => {
      log.error('exec.spawn-failed', { error: err.message });
      resolve({ code: 127, signal: null });
    });
  });
  const programPid = kept.pid;
  log.info('exec.start', { programPid, argv: config.exec, ready: config.ready.kind, cwd: config.execCwd });
  const livenessPath = keeperSocketPath(config.runtimeDir, process.pid);
  const liveness = await serveLiveness(livenessPath, { answer: () => kept.answer() });
  // The liveness contract every server keeps: the cop judges a keeper's hang as any server's.
  const progress = await serveProgress(config.runtimeDir, { progressAgeMs: () => progressAgeMs(kept.health, Date.now()), turns: () => kept.turns });

  // Ready: READY=1 or a proof probe; then server.lock, naming the program.
  const exitedEvent = exited.then((status): Event => ({ type: 'exited', status }));
  const stopEvent = stopRequested.then((signal): Event => ({ type: 'stop', signal }));
  const readyEvent = (config.ready.kind === 'notify' ? kept.readyByNotify : kept.provenReady()).then((): Event => ({ type: 'ready' }));
  let lock: HeldLock | null = null;
  let watchdogTimer: NodeJS.Timeout | null = null;
  let event = await Promise.race([readyEvent, exitedEvent, stopEvent]);
  if (event.type === 'ready') {
    kept.health = { ...kept.health, ready: true, lastWatchdogAt: Date.now() };
    void kept.prove();
    void kept.watchActivity();
    log.info('server.ready', { handover: options.handover, programPid, via: config.ready.kind });
    tellManager({ type: 'ready', pid: process.pid });
    if (config.execWatchdogMs > 0) {
      watchdogTimer = setInterval(() => {
        if (!isWatchdogMissed(kept.health, Date.now())) return;
        kept.health = { ...kept.health, lastWatchdogAt: Date.now() }; // one kill per missed interval
        kept.killTree('SIGKILL', `no WATCHDOG=1 within ${config.execWatchdogMs} ms`);
      }, Math.max(25, Math.floor(config.execWatchdogMs / 4)));
    }
    const pending = takeServerLock(serverLockPath(config.runtimeDir, slot), log, programPid);
    event = await Promise.race([pending.then((l): Event => ({ type: 'locked', lock: l })), exitedEvent, stopEvent]);
    if (event.type === 'locked') {
      lock = event.lock;
      // A lock file deleted or replaced under the keeper is taken again, naming the program, as the Node host does.
      lock.watch((what, fields) => log[what === 'lock.retaken' ? 'warn' : 'error'](what, fields));
      log.info('server.locked', { slot, programPid, holder: process.pid });
      tellManager({ type: 'locked', pid: process.pid });
      event = await Promise.race([exitedEvent, stopEvent]);
    } else void pending.then((l) => l.release(), () => undefined);
  }

  // End: drain on the stop signal, or follow the program out.
  let status: WaitStatus;
  lock?.release();
  lock = null;
  if (event.type === 'stop') {
    kept.health = { ...kept.health, stopping: true };
    const started = Date.now();
    log.info('server.drain', { signal: event.signal, stopSignal: config.stopSignal, programPid, timeoutMs: config.drainTimeoutMs });
    kept.askToStop();
    const timedOut = await Promise.race([exited.then(() => false), sleep(config.drainTimeoutMs).then(() => true)]);
    if (timedOut) kept.killTree('SIGKILL', `still running ${config.drainTimeoutMs} ms after ${config.stopSignal}`);
    status = await exited;
    const outcome = timedOut ? 'timeout' : 'success';
    log.info('server.drained', { outcome, ms: Date.now() - started, code: status.code, signal: status.signal });
    tellManager({ type: 'drained', pid: process.pid, outcome, openConnections: 0, ms: Date.now() - started });
  } else {
    status = (event as { status: WaitStatus }).status;
    log[kept.health.ready ? 'warn' : 'error']('exec.exit', { programPid, code: status.code, signal: status.signal, ready: kept.health.ready });
  }
  // Whatever the program left behind (a daemonized child included) goes with it: nothing escapes.
  if (kept.hasLeftovers()) kept.killTree('SIGKILL', 'left behind by the program');
  if (watchdogTimer) clearInterval(watchdogTimer);
  clearInterval(keepAlive);
  notify.close();
  liveness.close();
  progress.close();
  rmSync(livenessPath, { force: true });
  output.close();
  await log.close();
  return endLike(status);
}
