// The cop's signals. Handlers only record the event; the work runs from the event loop.
// SIGTERM/SIGINT: graceful stop of the whole instance (a repeat is logged, never fatal).
// SIGUSR1: graceful server restart over the control socket, or SIGUSR1 to the verified manager when
// the socket does not answer. SIGHUP: reopen the log and reload the configuration.
import type { TripodConfig } from '@tripod/core/config/config';
import { controlRequest } from '@tripod/core/control/client';
import { sendSignal } from '@tripod/core/kill/signal';
import { findLockHolder } from '@tripod/core/lock/probe';
import type { Log } from '@tripod/core/log/logger';
import type { RuntimePaths } from '@tripod/core/paths';
import { isInstanceTier } from '@tripod/core/proc/scan';
import type { Cop } from './cop.js';
import { reloadCop } from './reload.js';

export interface SignalContext {
  readonly cop: Cop;
  readonly log: Log;
  readonly paths: RuntimePaths;
  readonly instance: string;
  readonly loadConfig: () => TripodConfig;
  readonly systemd: { stopping(): void; reloading(): void; reloaded(): void };
  /** Called once, at the first SIGTERM/SIGINT. */
  readonly onStop: (signal: NodeJS.Signals) => void;
}

async function restartServer({ cop, log, paths, instance }: SignalContext): Promise<void> {
  try {
    const result = await controlRequest(paths.controlSocket, { cmd: 'server-restart' }, cop.config.probeTimeoutMs * 5);
    log.info('control.forwarded', { cmd: 'server-restart', result });
  } catch (err) {
    const holder = findLockHolder(paths.lockFile('manager'));
    const signalled = holder !== null && isInstanceTier(holder, instance, 'manager') && sendSignal(holder, 'SIGUSR1');
    log.warn('control.forward-failed', { cmd: 'server-restart', error: (err as Error).message, fallback: signalled ? `SIGUSR1 to manager ${holder}` : 'none' });
  }
}

/** Installs the cop's signal handlers. */
export function handleSignals(ctx: SignalContext): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl-C must not kill the cop in the middle of the drain it started.
    if (stopping) return ctx.log.warn('cop.stop-repeat', { signal, why: 'already stopping' });
    stopping = true;
    ctx.log.info('cop.stop', { signal });
    ctx.systemd.stopping();
    ctx.onStop(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGUSR1', () => setImmediate(() => void restartServer(ctx)));
  process.on('SIGHUP', () =>
    setImmediate(() => {
      ctx.log.reopen();
      ctx.systemd.reloading();
      void reloadCop(ctx.cop, ctx.loadConfig, ctx.paths, ctx.log).finally(() => ctx.systemd.reloaded());
    }),
  );
}
