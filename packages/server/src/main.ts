// tripod-server: hold its slot's lock (server.lock for slot 0), load the application, listen on the inherited fds, report ready,
// drain on SIGTERM. It is the only tier that ever calls listen().
import type { TripodConfig } from '@tripod/core/config/config';
import { isTripodError } from '@tripod/core/errors';
import { EXIT, exitCodeForError } from '@tripod/core/exit-codes';
import { ENV_INSTANCE, ENV_TIER } from '@tripod/core/instance';
import { loadFsExt } from '@tripod/core/lock/fs-ext';
import type { HeldLock } from '@tripod/core/lock/lockfile';
import { checkRuntimeDir } from '@tripod/core/lock/runtime-dir';
import { createLog } from '@tripod/core/log/logger';
import { livenessSocketPath } from '@tripod/core/liveness/socket-path';
import { runtimePaths } from '@tripod/core/paths';
import { serverLockPath } from '@tripod/core/pool/slots';
import { loadApp } from './app-loader.js';
import { createHost } from './host.js';
import { createLiveness } from './liveness/monitor.js';
import { onPoolSize, tellManager, waitForGo } from './ipc.js';
import { takeServerLock, waitForStopSignal } from './lifecycle.js';

export interface ServerOptions {
  readonly config: TripodConfig;
  /** Number of listening fds inherited at 3, 4, …; 0 binds config.listen itself (standalone use). */
  readonly inheritedFds: number;
  /** Started to replace a running server (graceful restart); only logged: every server listens first. */
  readonly handover: boolean;
  /** A warm standby: load the application, then wait for the manager's `go` before listening. */
  readonly standby: boolean;
  /** The pool slot served; its lock file is serverLockPath(slot). A standby learns it from `go`. */
  readonly slot: number;
}

/** Heartbeat requests a standby or a successor serves itself before it takes real ones (Host.warmUp). */
const WARM_UP_REQUESTS = 40;
const WARM_UP_TIMEOUT_MS = 1000;

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
  let slot = options.slot;
  try {
    checkRuntimeDir(config.runtimeDir, { allowInsecure: config.allowInsecureDirs });
    // The application and its children must not look like tiers of the instance.
    delete process.env[ENV_INSTANCE];
    delete process.env[ENV_TIER];
    const app = await loadApp(config.app, config.staticDir);
    const liveness = createLiveness();
    // The cop decides hangs on what this socket says, and its token tells which server answered the
    // heartbeat. A standby starts it while it waits, so it is known the moment it is promoted; a
    // successor before it listens (its predecessor serves meanwhile); any other server just after it
    // listens, so the worker's start-up never delays the first answer.
    const serveLiveness = () => liveness.serve(config.runtimeDir).then((error) => {
      if (error === null) log.debug('server.liveness', { socket: livenessSocketPath(config.runtimeDir, process.pid) });
      else log.error('server.liveness-failed', { error });
    });
    try {
      liveness.publish(config.runtimeDir);
    } catch (err) {
      // Only the mapping from heartbeat to PID is lost (status, tests); the cop reads the token from the liveness socket.
      log.error('server.token-file-failed', { error: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
    const host = createHost(app, (err) => log.error('app.error', { error: String((err as Error)?.stack ?? err) }), liveness, { pooled: config.servers > 1 });
    // An error the application throws outside any request (a timer, a forgotten promise) is logged; it
    // does not take the server, and every connection it serves, down.
    process.on('uncaughtException', (err) => log.error('app.uncaught', { error: String(err?.stack ?? err) }));
    process.on('unhandledRejection', (err) => log.error('app.unhandled-rejection', { error: String((err as Error)?.stack ?? err) }));
    // A scale (or a reload of `servers`) tells every server the new size: a server started alone starts
    // recycling its keep-alive connections when it gains peers, so they spread to the new servers.
    onPoolSize((servers) => host.setPooled(servers > 1));
    if (options.standby) {
      void serveLiveness();
      await host.warmUp(WARM_UP_REQUESTS, WARM_UP_TIMEOUT_MS);
      tellManager({ type: 'standby', pid: process.pid });
      void log.activate();
      void loadFsExt().catch(() => undefined); // a failure shows where the lock is taken
      const go = await waitForGo(stopRequested);
      if (go === null) {
        log.info('server.standby-exit', {});
        liveness.stop();
        clearInterval(keepAlive);
        // The manager may be gone already (an orphaned standby): disconnecting twice throws ERR_IPC_DISCONNECTED.
        if (process.connected) process.disconnect?.();
        await log.close();
        return EXIT.OK;
      }
      slot = go.slot;
      host.setPooled(go.servers > 1);
      log.info('server.promoted', { slot, servers: go.servers });
    }
    if (options.handover) {
      // A successor has time: its predecessor serves until it is ready. So it pays now, not in front
      // of its first requests, what a server does just after it listens (winston, the liveness
      // thread, fs-ext's native module for the lock): measured, 50-70 ms that the first connections
      // of every rolling restart waited. docs/pool.md "Rolling restart".
      // One after the other: in parallel they took more than a core from the predecessor's.
      await log.activate();
      await loadFsExt().catch(() => undefined); // a failure shows where the lock is taken
      await serveLiveness();
      await host.warmUp(WARM_UP_REQUESTS, WARM_UP_TIMEOUT_MS);
    }
    if (options.inheritedFds > 0) {
      for (let i = 0; i < options.inheritedFds; i++) await host.listenFd(3 + i, config.backlog);
    } else {
      for (const l of config.listen) await host.listenAddress(l.host, l.port, config.backlog);
    }
    log.info('server.ready', { slot, handover: options.handover, app: config.app ?? 'builtin' });
    tellManager({ type: 'ready', pid: process.pid });
    // Serving first; the lock (fs-ext's native module) and the logging machinery (winston) next, so a
    // restarting server answers the queued connections as early as a bare node server would.
    setImmediate(() => void log.activate());
    if (!options.standby && !options.handover) setImmediate(() => void serveLiveness());
    const pending = takeServerLock(serverLockPath(config.runtimeDir, slot), log);
    lock = await Promise.race([pending, stopRequested.then(() => null)]);
    if (lock === null) void pending.then((l) => l.release(), () => undefined);
    else {
      lock.watch((event, fields) => log[event === 'lock.retaken' ? 'warn' : 'error'](event, fields));
      log.info('server.locked', { slot });
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
    liveness.stop();
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
