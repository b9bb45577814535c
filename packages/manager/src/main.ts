// tripod-manager: hold manager.lock, serve the control socket, run the server supervisor.
import { rmSync } from 'node:fs';
import type { Server } from 'node:net';
import {
  EXIT, acquireLock, checkRuntimeDir, createLog, findLockHolder, identify, instanceIdFor, isInstanceTier, realKillDeps,
  runtimePaths, safeKill, serveControl, tierBinary, validateConfig, writeJsonAtomic, type Log, type ProcessIdentity, type TripodConfig,
} from '@tripod/core';
import { controlHandler } from './control.js';
import { ServerRunner } from './runner.js';
import { buildPingReply, buildStatus } from './status.js';

export interface ManagerOptions {
  readonly config: TripodConfig;
  readonly inheritedFds: number;
}

/** Runs the manager until it is told to stop and its servers are gone; resolves with the exit code. */
export async function runManager({ config, inheritedFds }: ManagerOptions): Promise<number> {
  const startedAt = Date.now();
  const paths = runtimePaths(config.runtimeDir, config.logDir);
  checkRuntimeDir(config.runtimeDir);
  const log = createLog({ tier: 'manager', file: paths.logFile('manager'), level: config.logLevel, console: true, lazy: true });
  const lock = await acquireLock(paths.lockFile('manager'));
  const instance = instanceIdFor(config.runtimeDir);
  log.info('manager.start', { instance, inheritedFds, listen: config.listen.map((l) => `${l.host}:${l.port}`) });

  let orphan = findOrphanServer(paths.lockFile('server'), instance, log);

  let finished: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finished = resolve));
  let control: Server | null = null;
  const writeStatus = () => {
    try {
      writeJsonAtomic(paths.statusFile, buildStatus(runner, startedAt));
    } catch (err) {
      log.warn('status.write-failed', { error: (err as Error).message });
    }
  };
  const runner: ServerRunner = new ServerRunner({
    config,
    instance,
    serverBin: tierBinary('server'),
    inheritedFds,
    log,
    onChange: writeStatus,
    onAllStopped: () => {
      if (shuttingDown) finished(EXIT.OK);
    },
    // The previous manager's server served until now; ours is ready, so it may drain.
    onServing: () => {
      if (orphan !== null) void drainOrphan(orphan, config, log);
      orphan = null;
    },
  });
  let shuttingDown = false;
  const shutdown = () => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info('manager.stop', {});
    runner.dispatch({ type: 'stop', graceful: true });
  };
  // SIGHUP: reopen the log. The control `reload` may also carry the cop's reloaded configuration,
  // which the next decisions and the next server start use.
  const reload = async (args: Record<string, unknown> = {}) => {
    log.reopen();
    runner.reopenServerLogs();
    if (typeof args.config === 'object' && args.config !== null) {
      const next = validateConfig(args.config as Record<string, unknown>);
      runner.config = next;
      log.setLevel(next.logLevel);
    }
    log.info('manager.reload', { newConfig: args.config !== undefined });
    return { reopenedLogs: true, configApplied: args.config !== undefined };
  };

  control = await serveControl(paths.controlSocket, controlHandler({
    status: () => buildStatus(runner, startedAt),
    ping: () => buildPingReply(runner),
    dispatch: (event) => runner.dispatch(event),
    reload,
    shutdown,
  }));
  process.on('SIGTERM', () => setImmediate(shutdown));
  process.on('SIGINT', () => setImmediate(shutdown));
  process.on('SIGUSR1', () => setImmediate(() => runner.dispatch({ type: 'restart' })));
  process.on('SIGHUP', () => setImmediate(() => void reload()));
  runner.dispatch({ type: 'start' });
  // The server is on its way; now the logging machinery (winston) may take its time to load.
  setImmediate(() => void log.activate());

  const code = await done;
  runner.dispose();
  control.close();
  rmSync(paths.controlSocket, { force: true });
  writeStatus();
  log.info('manager.exit', { code });
  // The lock goes first: a slow log flush must not make the stop look unfinished.
  lock.release();
  await log.close();
  return code;
}

/** The previous manager's server, if one of this instance still holds server.lock (it keeps serving for now). */
function findOrphanServer(lockPath: string, instance: string, log: Log): ProcessIdentity | null {
  const holder = findLockHolder(lockPath);
  if (holder === null) return null;
  const who = identify(holder);
  if (who === null || !isInstanceTier(holder, instance, 'server')) {
    log.warn('server.lock-foreign', { holder, path: lockPath });
    return null;
  }
  log.info('server.orphan', { pid: holder, plan: 'drain it once our server is ready' });
  return who;
}

/** Drains the orphan (SIGTERM: it lets server.lock go and finishes its connections), SIGKILL at the bound. */
async function drainOrphan(who: ProcessIdentity, config: TripodConfig, log: Log): Promise<void> {
  const outcome = await safeKill(
    { ...who, tier: 'server', leadsGroup: true },
    { reason: 'orphan of a previous manager, replaced', coreSignal: null, graceMs: config.drainTimeoutMs, killWaitMs: config.killGraceMs },
    realKillDeps((event, fields) => log.info(event, fields)),
  );
  log.info('server.orphan-drained', { pid: who.pid, outcome });
}
