// What systemd tells a Type=notify service through its environment: where to send notifications
// (NOTIFY_SOCKET) and how often it expects WATCHDOG=1 (WATCHDOG_USEC, for WATCHDOG_PID). Pure parsing.
import { TripodError } from '../errors.js';

export const NOTIFY_ENV_NAMES = ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID'] as const;

export interface NotifyEnv {
  /** The datagram socket systemd listens on, or null when no service manager wants notifications. */
  readonly socket: string | null;
  /** systemd's watchdog timeout for this process in microseconds, or null when no watchdog applies to it. */
  readonly watchdogUsec: number | null;
}

export const NO_NOTIFY: NotifyEnv = Object.freeze({ socket: null, watchdogUsec: null });

function positiveInteger(name: string, value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new TripodError('ERR_CONFIG_INVALID', `${name}=${JSON.stringify(value)} is not a positive integer`, { details: { field: name, value } });
  }
  return Number(value);
}

/** Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID as sd_notify(3) and sd_watchdog_enabled(3) do. */
export function parseNotifyEnv(env: NodeJS.ProcessEnv, pid: number): NotifyEnv {
  const socket = env.NOTIFY_SOCKET && env.NOTIFY_SOCKET.length > 0 ? env.NOTIFY_SOCKET : null;
  const usec = env.WATCHDOG_USEC;
  if (socket === null || usec === undefined || usec === '') return { socket, watchdogUsec: null };
  const watchdogUsec = positiveInteger('WATCHDOG_USEC', usec);
  const forPid = env.WATCHDOG_PID;
  // The watchdog belongs to another process (WATCHDOG_PID names it): not ours to feed.
  if (forPid !== undefined && forPid !== '' && positiveInteger('WATCHDOG_PID', forPid) !== pid) return { socket, watchdogUsec: null };
  return { socket, watchdogUsec };
}

/**
 * Parses and removes the notify variables from `env`, so the tiers and the application this process
 * starts do not inherit them (with NotifyAccess=all systemd would believe their READY=1).
 */
export function takeNotifyEnv(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): NotifyEnv {
  try {
    return parseNotifyEnv(env, pid);
  } finally {
    for (const name of NOTIFY_ENV_NAMES) delete env[name];
  }
}

/** The least time between two WATCHDOG=1 pings worth sending: a quarter of the timeout (null: no watchdog). */
export function watchdogPingIntervalMs(notifyEnv: NotifyEnv): number | null {
  return notifyEnv.watchdogUsec === null ? null : Math.max(1, Math.floor(notifyEnv.watchdogUsec / 4000));
}
