// tripod-server: hold server.lock, load the application, listen on the inherited fds, report ready,
// drain on SIGTERM. It is the only tier that ever calls listen().
import type { TripodConfig } from '@tripod/core/config/config';
import { isTripodError } from '@tripod/core/errors';
import { EXIT, exitCodeForError } from '@tripod/core/exit-codes';
import { ENV_INSTANCE, ENV_TIER } from '@tripod/core/instance';
import type { HeldLock } from '@tripod/core/lock/lockfile';
import { checkRuntimeDir } from '@tripod/core/lock/runtime-dir';
import { createLog } from '@tripod/core/log/logger';
import { runtimePaths } from '@tripod/core/paths';
import { loadApp } from './app-loader.js';
import { createHost } from './host.js';
import { tellManager, waitForGo } from './ipc.js';
import { takeServerLock, waitForStopSignal } from './lifecycle.js';

export interface ServerOptions {
  readonly config: TripodConfig;
  /** Number of listening fds inherited at 3, 4, …; 0 binds config.listen itself (standalone use). */
  readonly inheritedFds: number;
  /** Started to replace a running server (graceful restart); only logged: every server listens first. */
  readonly handover: boolean;
  /** A warm standby: load the application, then wait for the manager's `go` before listening. */
  readonly standby: boolean;
}

/** Runs the server until it has drained; resolves with the exit code. */
export async function runServer(options: ServerOptions): Promise<number> {
  const { config } = options;
  if (config.exec !== null) {
    // Exec mode: this process keeps a foreign program instead of hosting a Node application.
    const { runKeeper } = await import('./exec/keeper.js');
    return runKeeper(options);
  }
  const paths = runtimePaths(config.runtimeDir, config.logDir);
  const log = createLog({ tier: 'server', file: paths.logFile('server'), level: config.logLevel, console: true, lazy: true });
  process.on('SIGHUP', () => log.reopen());
  const stopRequested = waitForStopSignal();
  // Stay alive while starting even if the application holds no handle yet (a setup awaiting forever).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let lock: HeldLock | null = null;
  try {
    checkRuntimeDir(config.runtimeDir);
    // The application and its children must not look like tiers of the instance.
    delete process.env[ENV_INSTANCE];
    delete process.env[ENV_TIER];
    const app = await loadApp(config.app, config.staticDir);
    const host = createHost(app, (err) => log.error('app.error', { error: String((err as Error)?.stack ?? err) }));
    if (options.standby) {
      tellManager({ type: 'standby', pid: process.pid });
      void log.activate();
      if (!(await waitForGo(stopRequested))) {
        log.info('server.standby-exit', {});
        clearInterval(keepAlive);
        process.disconnect?.();
        await log.close();
        return EXIT.OK;
      }
      log.info('server.promoted', {});
    }
    if (options.inheritedFds > 0) {
      for (let i = 0; i < options.inheritedFds; i++) await host.listenFd(3 + i, config.backlog);
    } else {
      for (const l of config.listen) await host.listenAddress(l.host, l.port, config.backlog);
    }
    log.info('server.ready', { handover: options.handover, app: config.app ?? 'builtin' });
    tellManager({ type: 'ready', pid: process.pid });
    // Serving first; the lock (fs-ext's native module) and the logging machinery (winston) next, so a
    // restarting server answers the queued connections as early as a bare node server would.
    setImmediate(() => void log.activate());
    const pending = takeServerLock(paths.lockFile('server'), log);
    lock = await Promise.race([pending, stopRequested.then(() => null)]);
    if (lock === null) void pending.then((l) => l.release(), () => undefined);
    else {
      log.info('server.locked', {});
      tellManager({ type: 'locked', pid: process.pid });
    }
    const signal = await stopRequested;
    log.info('server.drain', { signal, timeoutMs: config.drainTimeoutMs });
    // Let the lock go first, so a replacement can take it while this one finishes its connections.
    lock?.release();
    lock = null;
    const result = await host.drain(config.drainTimeoutMs);
    log.info('server.drained', { ...result });
    tellManager({ type: 'drained', pid: process.pid, ...result });
    clearInterval(keepAlive);
    await log.close();
    return EXIT.OK;
  } catch (err) {
    lock?.release();
    const code = isTripodError(err) ? err.code : 'ERR_INTERNAL';
    log.error('server.fail', { code, error: (err as Error).message });
    await log.close();
    if (!isTripodError(err)) throw err;
    return exitCodeForError(err);
  }
}
