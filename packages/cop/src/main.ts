// tripod-cop: hold cop.lock, own the listening sockets, start and watch the manager and the server.
import {
  EXIT, TripodError, acquireLock, controlRequest, checkRuntimeDir, createLog, findLockHolder, instanceIdFor, isInstanceTier, isTripodError,
  runtimePaths, sendSignal, type HeldLock, type TripodConfig,
} from '@tripod/core';
import { Cop } from './cop.js';
import { reloadCop } from './reload.js';
import { bindAll, type BoundListener } from './sockets.js';
import { attachSystemd } from './systemd.js';
import { findStrays, killTier } from './strays.js';

export interface CopOptions {
  readonly config: TripodConfig;
  /** Reads the configuration again from its sources (SIGHUP). */
  readonly loadConfig: () => TripodConfig;
  /** Test-only: see Cop's unsafeDropSockets. */
  readonly unsafeDropSockets?: boolean;
  /** Create the runtime directory when it is missing (only for the default location). */
  readonly createRuntimeDir: boolean;
}

/** The longest a check cycle may legitimately take; past it the cop aborts and its supervisor restarts it. */
export function stallBound(config: TripodConfig): number {
  return Math.max(config.stallLimitMs, config.drainTimeoutMs + 3 * config.killGraceMs + 2 * config.probeTimeoutMs);
}

async function takeCopLock(path: string, dir: string): Promise<HeldLock> {
  try {
    return await acquireLock(path);
  } catch (err) {
    if (isTripodError(err, 'ERR_LOCK_HELD')) {
      const holder = err.details.holder;
      throw new TripodError('ERR_LOCK_HELD', `another cop${holder ? ` (PID ${String(holder)})` : ''} already runs for ${dir}`, { cause: err, details: err.details });
    }
    throw err;
  }
}

/** Runs the cop until SIGTERM/SIGINT has stopped the instance; resolves with the exit code. */
export async function runCop({ config, createRuntimeDir, loadConfig, unsafeDropSockets }: CopOptions): Promise<number> {
  checkRuntimeDir(config.runtimeDir, { create: createRuntimeDir });
  const paths = runtimePaths(config.runtimeDir, config.logDir);
  const lock = await takeCopLock(paths.lockFile('cop'), config.runtimeDir);
  const log = createLog({ tier: 'cop', file: paths.logFile('cop'), level: config.logLevel, console: true });
  const instance = instanceIdFor(config.runtimeDir);
  log.info('cop.start', { instance, runtimeDir: config.runtimeDir, listen: config.listen.map((l) => `${l.host}:${l.port}`) });
  const systemd = attachSystemd(config, log, { stallBoundMs: stallBound(config) }); // sd_notify; sockets passed by systemd

  let listeners: BoundListener[] | null = systemd.listeners;
  const managerHolder = findLockHolder(paths.lockFile('manager'));
  if (managerHolder !== null && isInstanceTier(managerHolder, instance, 'manager')) {
    // A cop restart: the running manager and server keep the sockets and the service; adopt them.
    log.info('manager.adopt', { pid: managerHolder });
  } else {
    for (const stray of findStrays(instance)) {
      const outcome = await killTier(stray.pid, stray.tier, `stray ${stray.tier} at cop start`, config.drainTimeoutMs, { instance, coreSignal: null, killGraceMs: config.killGraceMs, log });
      log.info('stray.killed', { pid: stray.pid, tier: stray.tier, outcome });
    }
    try {
      listeners ??= await bindAll(config.listen);
    } catch (err) {
      log.error('sockets.bind-failed', { error: (err as Error).message });
      lock.release();
      await log.close();
      throw err;
    }
    if (systemd.listeners === null) log.info('sockets.bound', { listen: listeners.map((l) => `${l.listener.host}:${l.listener.port}`) });
  }

  const cop = new Cop(systemd.config, paths, instance, log, listeners, systemd.events, { unsafeDropSockets });
  let timer: NodeJS.Timeout | null = null;
  // Checks run start-to-start: a cycle whose probe timed out does not push the next one a whole period back.
  const loop = async () => {
    const started = Date.now();
    await cop.cycle();
    const wait = Math.max(0, cop.config.checkIntervalMs - (Date.now() - started));
    if (!cop.isStopping) timer = setTimeout(() => void loop(), wait);
  };
  const guard = setInterval(() => {
    const started = cop.cycleStartedAt;
    const bound = stallBound(cop.config);
    if (started !== null && Date.now() - started > bound) {
      log.error('cop.stalled', { ms: Date.now() - started, bound });
      process.exit(EXIT.STALLED);
    }
  }, 1000);

  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      // A second Ctrl-C must not kill the cop in the middle of the drain it started.
      if (stopping) return log.warn('cop.stop-repeat', { signal, why: 'already stopping' });
      stopping = true;
      log.info('cop.stop', { signal });
      systemd.stopping();
      if (timer) clearTimeout(timer);
      void cop.stop().then(resolve);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  // SIGUSR1: graceful server restart, over the control socket, or as SIGUSR1 to the verified manager
  // when the socket does not answer. SIGHUP: reopen our log and reload the configuration.
  const restartServer = async () => {
    try {
      const result = await controlRequest(paths.controlSocket, { cmd: 'server-restart' }, cop.config.probeTimeoutMs * 5);
      log.info('control.forwarded', { cmd: 'server-restart', result });
    } catch (err) {
      const holder = findLockHolder(paths.lockFile('manager'));
      const signalled = holder !== null && isInstanceTier(holder, instance, 'manager') && sendSignal(holder, 'SIGUSR1');
      log.warn('control.forward-failed', { cmd: 'server-restart', error: (err as Error).message, fallback: signalled ? `SIGUSR1 to manager ${holder}` : 'none' });
    }
  };
  process.on('SIGUSR1', () => setImmediate(() => void restartServer()));
  process.on('SIGHUP', () => setImmediate(() => {
    log.reopen();
    systemd.reloading();
    void reloadCop(cop, loadConfig, paths, log).finally(() => systemd.reloaded());
  }));
  void loop();
  await stopped;
  clearInterval(guard);
  log.info('cop.exit', { code: EXIT.OK });
  await systemd.close();
  lock.release();
  await log.close();
  return EXIT.OK;
}
