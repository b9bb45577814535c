// Exec mode's server tier: the keeper. To the manager it is a server like the Node host (spawned the
// same way, `ready`, server.lock, drain on SIGTERM, exit status); instead of loading a Node application
// it keeps a foreign program in its own process group, speaking systemd's socket-activation protocol to
// it. Its life and the program's are tied: the program dies with the keeper (PR_SET_PDEATHSIG), and the
// keeper ends the way the program ended. See docs/exec.md.
import type { ChildProcess } from 'node:child_process';
import { TripodError } from '@tripod/core/errors';
import { keeperSocketPath, type KeeperAnswer } from '@tripod/core/exec/keeper-socket';
import { acquireLock, type HeldLock } from '@tripod/core/lock/lockfile';
import { checkRuntimeDir } from '@tripod/core/lock/runtime-dir';
import { createLog, type Log } from '@tripod/core/log/logger';
import { runtimePaths } from '@tripod/core/paths';
import { readStat } from '@tripod/core/proc/read';
import { isTripodError } from '@tripod/core/errors';
import type { ServerOptions } from '../main.js';
import { tellManager, waitForGo } from '../ipc.js';
import { endLike, type WaitStatus } from './exit-status.js';
import { serveLiveness } from './liveness.js';
import type { NotifyMessage } from './notify-message.js';
import { notifySocketAddress, openNotifySocket } from './notify-socket.js';
import { descendants, prove, type ProofTarget } from './probe.js';
import { leftovers, OutputLog, startProgram } from './program.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_RETRY_MS = 25;
const READY_PROBE_PAUSE_MS = 50;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => resolve(sig));
  });
}

/** kill(2) where "already gone" is no error. */
function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function takeLock(path: string, programPid: number, log: Log): Promise<HeldLock> {
  for (;;) {
    try {
      return await acquireLock(path, programPid);
    } catch (err) {
      if (!isTripodError(err, 'ERR_LOCK_HELD')) throw err;
      log.debug('server.lock-wait', { holder: err.details.holder });
      await sleep(LOCK_RETRY_MS);
    }
  }
}

/** Runs the keeper; ends the process like the program ended (or returns an exit code when it never started one). */
export async function runKeeper(options: ServerOptions): Promise<number> {
  const { config } = options;
  const argv = config.exec!;
  const paths = runtimePaths(config.runtimeDir, config.logDir);
  const log = createLog({ tier: 'server', file: paths.logFile('server'), level: config.logLevel, console: true, lazy: true });
  void log.activate();
  const output = new OutputLog(join(config.logDir, 'server-exec.log'));
  process.on('SIGHUP', () => {
    log.reopen();
    output.reopen();
  });
  const stopRequested = waitForStopSignal();
  const keepAlive = setInterval(() => undefined, 1 << 30);
  checkRuntimeDir(config.runtimeDir);
  if (options.inheritedFds < 1) {
    throw new TripodError('ERR_CONFIG_INVALID', 'exec mode needs the listening sockets from its manager: start it with tripod start or tripod-cop, not tripod-server by hand');
  }
  if (options.standby) {
    tellManager({ type: 'standby', pid: process.pid });
    if (!(await waitForGo(stopRequested))) {
      clearInterval(keepAlive);
      process.disconnect?.();
      await log.close();
      return 0;
    }
  }

  const keeperStart = readStat(process.pid)?.starttime ?? 0;
  let ready = false;
  let stopping = false;
  let lastWatchdogAt = 0;
  let lastProofAt: number | null = null;
  let onReady: (() => void) | null = null;
  let program: ChildProcess | null = null;
  const readyByNotify = new Promise<void>((resolve) => (onReady = resolve));

  const onNotify = (message: NotifyMessage) => {
    if (message.watchdog) lastWatchdogAt = Date.now();
    if (message.status !== null) log.debug('exec.status', { status: message.status });
    if (message.stopping) log.info('exec.stopping', {});
    if (message.reloading) log.info('exec.reloading', {});
    if (message.errno !== null) log.warn('exec.errno', { errno: message.errno });
    if (message.mainPid !== null) {
      // Never trusted blindly: only a process of the program's own tree; and it changes nothing but the log.
      const ours = program?.pid !== undefined && descendants(program.pid).includes(message.mainPid);
      log[ours ? 'info' : 'warn']('exec.mainpid', { claimed: message.mainPid, accepted: ours, note: 'the keeper keeps supervising the PID it started' });
    }
    if (message.watchdogTrigger) killTree('SIGKILL', 'WATCHDOG=trigger');
    if (message.ready && !ready) onReady?.();
  };
  const notify = await openNotifySocket(notifySocketAddress(config.runtimeDir, process.pid), onNotify, (error) => log.warn('exec.notify-error', { error }));

  const fdNames = Array.from({ length: options.inheritedFds }, (_, i) => `tcp-${config.listen[i]?.port ?? i}`);
  program = startProgram({
    argv, cwd: config.execCwd, backlog: config.backlog, output, base: process.env, keeperPid: process.pid,
    fdNames, notifySocket: notify.address, watchdogMs: config.execWatchdogMs,
  });
  const exited = new Promise<WaitStatus>((resolve) => {
    program!.once('exit', (code, signal) => resolve({ code, signal }));
    program!.once('error', (err) => {
      log.error('exec.spawn-failed', { error: err.message });
      resolve({ code: 127, signal: null });
    });
  });
  const programPid = program.pid ?? 0;
  log.info('exec.start', { programPid, argv, ready: config.ready.kind, cwd: config.execCwd });

  function killTree(signal: NodeJS.Signals, reason: string): void {
    const pids = new Set([...(programPid > 0 ? descendants(programPid) : []), ...leftovers(process.pid, keeperStart)]);
    log.warn('exec.kill', { signal, reason, pids: [...pids] });
    for (const pid of pids) signalQuietly(pid, signal);
  }

  const probeMode = config.ready.kind === 'notify' ? ({ kind: 'tcp' } as const) : config.ready;
  const target: ProofTarget = { listener: config.listen[0]!, ready: probeMode, rootPid: programPid };
  let pendingAnswer: Promise<KeeperAnswer> | null = null;
  const answer = async (timeoutMs: number): Promise<KeeperAnswer> => {
    const base = { v: 1 as const, pid: process.pid, programPid };
    if (stopping) return { ...base, ok: true, error: null, via: 'draining', progressAt: lastProofAt };
    if (!ready) return { ...base, ok: false, error: 'is starting', via: null, progressAt: null };
    if (config.execWatchdogMs > 0 && Date.now() - lastWatchdogAt < config.execWatchdogMs) {
      return { ...base, ok: true, error: null, via: 'watchdog', progressAt: lastWatchdogAt };
    }
    const outcome = await prove(target, timeoutMs);
    if (outcome.result === 'proven') lastProofAt = Date.now();
    return { ...base, ok: outcome.result === 'proven', error: outcome.result === 'failed' ? outcome.error : null, via: 'probe', progressAt: lastProofAt };
  };
  const livenessPath = keeperSocketPath(config.runtimeDir, process.pid);
  const liveness = await serveLiveness(livenessPath, {
    answer: (timeoutMs) => (pendingAnswer ??= answer(timeoutMs).finally(() => (pendingAnswer = null))),
  });

  const waitProbeReady = async (): Promise<void> => {
    for (;;) {
      const outcome = await prove(target, config.probeTimeoutMs);
      if (outcome.result === 'proven') return;
      log.debug('exec.not-ready', { outcome });
      await sleep(READY_PROBE_PAUSE_MS);
    }
  };
  type Event = { type: 'ready' } | { type: 'exited'; status: WaitStatus } | { type: 'stop'; signal: NodeJS.Signals };
  const exitedEvent = exited.then((status): Event => ({ type: 'exited', status }));
  const stopEvent = stopRequested.then((signal): Event => ({ type: 'stop', signal }));
  const readyEvent = (config.ready.kind === 'notify' ? readyByNotify : waitProbeReady()).then((): Event => ({ type: 'ready' }));

  let lock: HeldLock | null = null;
  let watchdogTimer: NodeJS.Timeout | null = null;
  let event = await Promise.race([readyEvent, exitedEvent, stopEvent]);
  if (event.type === 'ready') {
    ready = true;
    lastWatchdogAt = Date.now();
    log.info('server.ready', { handover: options.handover, programPid, via: config.ready.kind });
    tellManager({ type: 'ready', pid: process.pid });
    if (config.execWatchdogMs > 0) {
      watchdogTimer = setInterval(() => {
        if (!stopping && Date.now() - lastWatchdogAt > config.execWatchdogMs) {
          lastWatchdogAt = Date.now(); // one kill per missed interval
          killTree('SIGKILL', `no WATCHDOG=1 within ${config.execWatchdogMs} ms`);
        }
      }, Math.max(25, Math.floor(config.execWatchdogMs / 4)));
    }
    const pending = takeLock(paths.lockFile('server'), programPid, log);
    const locked = await Promise.race([pending.then((l): { type: 'locked'; lock: HeldLock } => ({ type: 'locked', lock: l })), exitedEvent, stopEvent]);
    if (locked.type === 'locked') {
      lock = locked.lock;
      log.info('server.locked', { programPid, lockNames: programPid, holder: process.pid });
      tellManager({ type: 'locked', pid: process.pid });
      event = await Promise.race([exitedEvent, stopEvent]);
    } else {
      void pending.then((l) => l.release(), () => undefined);
      event = locked;
    }
  }

  let status: WaitStatus;
  if (event.type === 'stop') {
    stopping = true;
    lock?.release();
    lock = null;
    const started = Date.now();
    log.info('server.drain', { signal: event.signal, stopSignal: config.stopSignal, programPid, timeoutMs: config.drainTimeoutMs });
    // A stopped program (SIGSTOP; the cop resumes only the keeper it signals) could not act on its stop signal.
    for (const pid of descendants(programPid)) if (readStat(pid)?.state === 'T') signalQuietly(pid, 'SIGCONT');
    signalQuietly(programPid, config.stopSignal);
    const timedOut = await Promise.race([exited.then(() => false), sleep(config.drainTimeoutMs).then(() => true)]);
    if (timedOut) killTree('SIGKILL', `still running ${config.drainTimeoutMs} ms after ${config.stopSignal}`);
    status = await exited;
    const outcome = timedOut ? 'timeout' : 'success';
    log.info('server.drained', { outcome, ms: Date.now() - started, code: status.code, signal: status.signal });
    tellManager({ type: 'drained', pid: process.pid, outcome, openConnections: 0, ms: Date.now() - started });
  } else {
    status = (event as { status: WaitStatus }).status;
    lock?.release();
    lock = null;
    log[ready ? 'warn' : 'error']('exec.exit', { programPid, code: status.code, signal: status.signal, ready });
  }
  // Whatever the program left behind (a daemonized child included) goes with it: nothing escapes.
  if (leftovers(process.pid, keeperStart).length > 0) killTree('SIGKILL', 'left behind by the program');
  if (watchdogTimer) clearInterval(watchdogTimer);
  clearInterval(keepAlive);
  notify.close();
  liveness.close();
  rmSync(livenessPath, { force: true });
  output.close();
  await log.close();
  return endLike(status);
}
