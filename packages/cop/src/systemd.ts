// The cop under systemd: sd_notify (READY=1 once a server answers, WATCHDOG=1 after each check cycle,
// STATUS=, RELOADING=1 and STOPPING=1) and socket activation (listeners from LISTEN_FDS instead of
// binding). Without NOTIFY_SOCKET and LISTEN_PID every part of this is a no-op.
import type { TripodConfig } from '@tripod/core/config/config';
import type { Log } from '@tripod/core/log/logger';
import { takeListenFds, type PassedFd } from '@tripod/core/systemd/listen-fds';
import { matchListeners, type PassedSocket } from '@tripod/core/systemd/listen-match';
import { createNotifier } from '@tripod/core/systemd/notify';
import { takeNotifyEnv } from '@tripod/core/systemd/notify-env';
import { NOTIFY_RUN_TIMEOUT_MS } from '@tripod/core/systemd/notify-transport';
import { decideNotify, INITIAL_SERVICE_STATUS, type NotifyAction, type ServiceEvent } from '@tripod/core/systemd/service-status';
import type { CopEvents } from './cop.js';
import { openPassedListener, type BoundListener } from './sockets.js';

export interface SystemdAttachment {
  /** The configuration to run on: under socket activation `listen` names the passed sockets. */
  readonly config: TripodConfig;
  /** Listeners systemd passed (LISTEN_FDS), or null: the cop binds its own. */
  readonly listeners: BoundListener[] | null;
  /** Hooks for the Cop: READY=1/STATUS= from heartbeats, WATCHDOG=1 from check cycles. */
  readonly events: Required<CopEvents>;
  stopping(): void;
  reloading(): void;
  reloaded(): void;
  /** Stops the stop-time watchdog timer and waits (bounded) for pending notifications. */
  close(): Promise<void>;
}

export interface AttachOptions {
  /** The longest a check cycle may take (main.ts stallBound): WatchdogSec must leave room for it. */
  readonly stallBoundMs: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly pid?: number;
}

/** Wraps the passed fds and orders them by the configured listeners; closes them all if one is unusable. */
function adoptPassedSockets(config: TripodConfig, passed: readonly PassedFd[], log: Log): { config: TripodConfig; listeners: BoundListener[] } {
  const opened: BoundListener[] = [];
  try {
    for (const p of passed) opened.push(openPassedListener(p.fd, p.name));
  } catch (err) {
    for (const o of opened) o.close();
    throw err;
  }
  const sockets: PassedSocket[] = opened.map((o, i) => ({ fd: o.fd, name: passed[i]!.name, address: o.listener }));
  const match = matchListeners(config.listen, sockets);
  const text = (l: { host: string; port: number }) => (l.host.includes(':') ? `[${l.host}]:${l.port}` : `${l.host}:${l.port}`);
  for (const l of match.notPassed) log.warn('systemd.listener-not-passed', { listen: text(l), hint: 'the socket unit does not listen there; nothing serves it' });
  for (const s of match.unconfigured) log.info('systemd.socket-unconfigured', { fd: s.fd, name: s.name, address: text(s.address) });
  const listeners = match.sockets.map((s) => opened.find((o) => o.fd === s.fd)!);
  const listen = Object.freeze(match.sockets.map((s) => Object.freeze({ host: s.address.host, port: s.address.port })));
  log.info('sockets.from-systemd', { sockets: match.sockets.map((s) => ({ fd: s.fd, name: s.name, address: text(s.address) })), probe: text(listen[0]!) });
  return { config: Object.freeze({ ...config, listen }), listeners };
}

/** Reads (and removes from the environment) what systemd handed the cop, and wires sd_notify. */
export function attachSystemd(config: TripodConfig, log: Log, options: AttachOptions): SystemdAttachment {
  const env = options.env ?? process.env;
  const pid = options.pid ?? process.pid;
  const notifyEnv = takeNotifyEnv(env, pid);
  const passed = takeListenFds(env, pid);
  let lastError = '';
  const notifier = createNotifier(notifyEnv, {
    onError: (err, fields) => {
      // One warning per distinct failure: a missing systemd-notify must not flood the log every cycle.
      if (err.message !== lastError) log.warn('systemd.notify-failed', { fields, error: err.message });
      lastError = err.message;
    },
  });
  if (notifier.enabled) log.info('systemd.notify', { socket: notifyEnv.socket, watchdogMs: notifyEnv.watchdogUsec === null ? null : notifyEnv.watchdogUsec / 1000, pingEveryMs: notifier.watchdogIntervalMs });
  if (notifyEnv.watchdogUsec !== null) {
    const needed = Math.ceil((4 / 3) * (options.stallBoundMs + config.checkIntervalMs));
    if (notifyEnv.watchdogUsec / 1000 < needed) log.warn('systemd.watchdog-short', { watchdogMs: notifyEnv.watchdogUsec / 1000, neededMs: needed, hint: 'a long but legitimate check cycle may trip WatchdogSec' });
  }
  const adopted = passed.length > 0 ? adoptPassedSockets(config, passed, log) : null;

  let state = INITIAL_SERVICE_STATUS;
  const perform = (action: NotifyAction) => {
    if (action.type !== 'watchdog') log.info('systemd.notify-send', { ...action });
    switch (action.type) {
      case 'ready':
        return notifier.ready(action.status);
      case 'status':
        return notifier.status(action.status);
      case 'watchdog':
        return notifier.watchdog();
      case 'reloading':
        return notifier.reloading(action.status);
      case 'stopping':
        return notifier.stopping(action.status);
    }
  };
  const apply = (event: ServiceEvent) => {
    if (!notifier.enabled) return;
    const decision = decideNotify(state, event);
    state = decision.state;
    for (const action of decision.actions) perform(action);
  };

  let reloadsInFlight = 0;
  let stopPings: NodeJS.Timeout | null = null;
  return {
    config: adopted?.config ?? config,
    listeners: adopted?.listeners ?? null,
    events: {
      onServing: (serverPid) => apply({ type: 'serving', pid: serverPid }),
      onCycle: () => apply({ type: 'cycle-end' }),
    },
    stopping() {
      apply({ type: 'stop-begin' });
      // No check cycles run while the instance drains; systemd's watchdog may still be armed.
      const every = notifier.watchdogIntervalMs;
      if (every !== null && stopPings === null) stopPings = setInterval(() => notifier.watchdog(), every);
    },
    reloading() {
      if (reloadsInFlight++ === 0) apply({ type: 'reload-begin' });
    },
    reloaded() {
      if (--reloadsInFlight === 0) apply({ type: 'reload-end' });
    },
    async close() {
      if (stopPings !== null) clearInterval(stopPings);
      stopPings = null;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, NOTIFY_RUN_TIMEOUT_MS + 1000)));
      await Promise.race([notifier.flush(), deadline]);
      clearTimeout(timer);
    },
  };
}
