// tripod-manager: hold manager.lock, serve the control socket, run the server supervisor.
// runManager is the list of steps; each step below is one concern.
import { rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tierBinary } from '@tripod/core/binaries';
import type { TripodConfig } from '@tripod/core/config/config';
import { validateConfig } from '@tripod/core/config/validate';
import { serveControl } from '@tripod/core/control/server';
import { EXIT } from '@tripod/core/exit-codes';
import { instanceIdFor } from '@tripod/core/instance';
import { acquireLock, type HeldLock } from '@tripod/core/lock/lockfile';
import { checkRuntimeDir } from '@tripod/core/lock/runtime-dir';
import { createLog, type Log } from '@tripod/core/log/logger';
import { runtimePaths, type RuntimePaths } from '@tripod/core/paths';
import { writeJsonAtomic } from '@tripod/core/status-file';
import type { ReloadReply } from '@tripod/core/wire/control';
import { controlHandler } from './control.js';
import { drainOrphan, findOrphanServers, type Orphan } from './orphans.js';
import { ServerRunner } from './runner.js';
import { handleSignals } from './signals.js';
import { buildPingReply, buildStatus } from './status.js';

export interface ManagerOptions {
  readonly config: TripodConfig;
  readonly inheritedFds: number;
}

interface Manager {
  readonly config: TripodConfig;
  readonly paths: RuntimePaths;
  readonly log: Log;
  readonly lock: HeldLock;
  readonly instance: string;
  readonly startedAt: number;
}

/** Runs the manager until it is told to stop and its servers are gone; resolves with the exit code. */
export async function runManager({ config, inheritedFds }: ManagerOptions): Promise<number> {
  const manager = await openManager(config, inheritedFds);
  const { runner, done, shutdown } = startSupervisor(manager, inheritedFds);
  const reload = reloader(manager, runner);
  const control = await serveControl(manager.paths.controlSocket, controlHandler({
    status: () => buildStatus(runner, manager.startedAt),
    ping: () => buildPingReply(runner),
    dispatch: (event) => runner.dispatch(event),
    scale: (size) => runner.scale(size),
    reload,
    shutdown,
  }));
  handleSignals({ shutdown, restart: () => runner.dispatch({ type: 'restart' }), reopenLogs: () => void reload() });
  runner.start();
  // The server is on its way; now the logging machinery (winston) may take its time to load.
  setImmediate(() => void manager.log.activate());
  const code = await done;
  return closeManager(manager, runner, control, code);
}

/** Step 1: the runtime directory, the log and manager.lock. */
async function openManager(config: TripodConfig, inheritedFds: number): Promise<Manager> {
  const startedAt = Date.now();
  const paths = runtimePaths(config.runtimeDir, config.logDir);
  checkRuntimeDir(config.runtimeDir, { allowInsecure: config.allowInsecureDirs });
  const log = createLog({ tier: 'manager', file: paths.logFile('manager'), level: config.logLevel, console: true, lazy: true });
  const lock = await acquireLock(paths.lockFile('manager'));
  lock.watch((event, fields) => log[event === 'lock.retaken' ? 'warn' : 'error'](event, fields));
  const instance = instanceIdFor(config.runtimeDir);
  log.info('manager.start', { instance, inheritedFds, listen: config.listen.map((l) => `${l.host}:${l.port}`) });
  return { config, paths, log, lock, instance, startedAt };
}

/** Step 2: the supervisor's runner, which writes status.json on every change and drains a previous manager's server once ours serves. */
function startSupervisor(manager: Manager, inheritedFds: number): { runner: ServerRunner; done: Promise<number>; shutdown: () => void } {
  const { config, paths, log, instance } = manager;
  let orphans: Orphan[] = findOrphanServers(paths.dir, instance, log);
  let finished: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finished = resolve));
  let shuttingDown = false;
  const runner: ServerRunner = new ServerRunner({
    config,
    instance,
    serverBin: tierBinary('server'),
    inheritedFds,
    log,
    onChange: () => {
      // A previous manager's server served its slot until now; once ours serves that slot (or, for a
      // slot the pool no longer has, once any of ours serves) it may drain.
      if (orphans.length > 0) orphans = drainReplacedOrphans(orphans, runner, manager);
      writeStatus(manager, runner);
    },
    onAllStopped: () => {
      if (shuttingDown) finished(EXIT.OK);
    },
  });
  const shutdown = () => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info('manager.stop', {});
    runner.dispatch({ type: 'stop', graceful: true });
  };
  return { runner, done, shutdown };
}

function drainReplacedOrphans(orphans: Orphan[], runner: ServerRunner, { config, log }: Manager): Orphan[] {
  const { procs, size } = runner.state;
  const replaced = (o: Orphan) => procs.some((p) => p.role === 'serving' && (p.slot === o.slot || o.slot >= size));
  for (const orphan of orphans.filter(replaced)) void drainOrphan(orphan.who, config, log);
  return orphans.filter((o) => !replaced(o));
}

/**
 * Step 3: SIGHUP and the control `reload` reopen the logs; the control `reload` may also carry the
 * cop's reloaded configuration, which the next decisions and the next server start use.
 */
function reloader({ log }: Manager, runner: ServerRunner): (args?: Record<string, unknown>) => Promise<ReloadReply> {
  return async (args = {}) => {
    log.reopen();
    runner.reopenServerLogs();
    if (typeof args.config === 'object' && args.config !== null) {
      const next = validateConfig(args.config as Record<string, unknown>);
      runner.applyConfig(next);
      log.setLevel(next.logLevel);
    }
    log.info('manager.reload', { newConfig: args.config !== undefined });
    return { reopenedLogs: true, configApplied: args.config !== undefined };
  };
}

function writeStatus({ paths, log, startedAt }: Manager, runner: ServerRunner): void {
  try {
    writeJsonAtomic(paths.statusFile, buildStatus(runner, startedAt));
  } catch (err) {
    log.warn('status.write-failed', { error: (err as Error).message });
  }
}

/** Last step: close the control socket, write the final status, let the lock go, flush the log. */
async function closeManager(manager: Manager, runner: ServerRunner, control: Server, code: number): Promise<number> {
  const { paths, log, lock } = manager;
  runner.dispose();
  control.close();
  rmSync(paths.controlSocket, { force: true });
  writeStatus(manager, runner);
  log.info('manager.exit', { code });
  // The lock goes first: a slow log flush must not make the stop look unfinished.
  lock.release();
  await log.close();
  return code;
}
