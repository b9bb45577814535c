// tripod-cop: hold cop.lock, own the listening sockets, start and watch the manager and the server.
import type { TripodConfig } from '@tripod/core/config/config';
import { TripodError, isTripodError } from '@tripod/core/errors';
import { EXIT } from '@tripod/core/exit-codes';
import { instanceIdFor } from '@tripod/core/instance';
import { acquireLock, type HeldLock } from '@tripod/core/lock/lockfile';
import { findLockHolder } from '@tripod/core/lock/probe';
import { checkDirOwnership, checkRuntimeDir } from '@tripod/core/lock/runtime-dir';
import { createLog } from '@tripod/core/log/logger';
import { runtimePaths } from '@tripod/core/paths';
import { readProcLocks } from '@tripod/core/proc/read';
import { isInstanceTier } from '@tripod/core/proc/scan';
import { Cop } from './cop.js';
import { acceptedOwners, prepareForServiceUser, serviceUserOf } from './service-user.js';
import { handleSignals } from './signals.js';
import { bindAll, type BoundListener } from './sockets.js';
import { attachSystemd } from './systemd.js';
import { clearStrays } from './strays.js';

export interface CopOptions {
  readonly config: TripodConfig;
  /** Reads the configuration again from its sources (SIGHUP). */
  readonly loadConfig: () => TripodConfig;
  /** Test-only: see Cop's unsafeDropSockets. */
  readonly unsafeDropSockets?: boolean;
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
      const who = typeof err.details.holderDescription === 'string' ? err.details.holderDescription : 'another process';
      throw new TripodError('ERR_LOCK_HELD', `another cop already runs for ${dir}: ${who} holds ${path}`, { cause: err, details: err.details });
    }
    throw err;
  }
}

/** Runs the cop until SIGTERM/SIGINT has stopped the instance; resolves with the exit code. */
/** Without /proc/locks no tier's holder can be seen: the cop would start managers forever. Refuse instead. */
function requireProcLocks(): void {
  if (readProcLocks() !== null) return;
  throw new TripodError('ERR_PROC_LOCKS_MISSING', '/proc/locks is not readable: the cop cannot see who holds the tiers\' locks and would restart the manager forever; run tripod on Linux with /proc mounted (tripod doctor checks it)');
}

export async function runCop({ config, loadConfig, unsafeDropSockets }: CopOptions): Promise<number> {
  requireProcLocks();
  const user = serviceUserOf(config);
  const owner = acceptedOwners(user);
  checkRuntimeDir(config.runtimeDir, { allowInsecure: config.allowInsecureDirs, owner });
  checkDirOwnership(config.logDir, 'log directory', { allowInsecure: config.allowInsecureDirs, owner });
  const paths = runtimePaths(config.runtimeDir, config.logDir);
  if (user !== null) prepareForServiceUser(paths, user);
  const lock = await takeCopLock(paths.lockFile('cop'), config.runtimeDir);
  const log = createLog({ tier: 'cop', file: paths.logFile('cop'), level: config.logLevel, console: true });
  lock.watch((event, fields) => log[event === 'lock.retaken' ? 'warn' : 'error'](event, fields));
  const instance = instanceIdFor(config.runtimeDir);
  log.info('cop.start', { instance, runtimeDir: config.runtimeDir, listen: config.listen.map((l) => `${l.host}:${l.port}`) });
  const systemd = attachSystemd(config, log, { stallBoundMs: stallBound(config) }); // sd_notify; sockets passed by systemd

  let listeners: BoundListener[] | null = systemd.listeners;
  const managerHolder = findLockHolder(paths.lockFile('manager'));
  if (managerHolder !== null && isInstanceTier(managerHolder, instance, 'manager')) {
    // A cop restart: the running manager and server keep the sockets and the service; adopt them.
    log.info('manager.adopt', { pid: managerHolder });
  } else {
    await clearStrays({ moment: 'cop-start', holdsSockets: false, config }, { instance, killGraceMs: config.killGraceMs, log });
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
    handleSignals({
      cop, log, paths, instance, loadConfig, systemd,
      onStop: () => {
        if (timer) clearTimeout(timer);
        void cop.stop().then(resolve);
      },
    });
  });
  void loop();
  await stopped;
  clearInterval(guard);
  log.info('cop.exit', { code: EXIT.OK });
  await systemd.close();
  lock.release();
  await log.close();
  return EXIT.OK;
}
