// Socket activation (sd_listen_fds(3)): systemd passes listening sockets at fds 3, 4, … and says so in
// LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES. Pure parsing, and taking them out of the environment.
import { TripodError } from '../errors.js';

/** The first fd systemd passes (SD_LISTEN_FDS_START). */
export const LISTEN_FDS_START = 3;
export const LISTEN_ENV_NAMES = ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'] as const;

export interface PassedFd {
  readonly fd: number;
  /** FileDescriptorName= of the socket unit; systemd's default is the socket unit's name, or "unknown". */
  readonly name: string;
}

function count(name: string, value: string): number {
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new TripodError('ERR_CONFIG_INVALID', `${name}=${JSON.stringify(value)} is not a non-negative integer`, { details: { field: name, value } });
  }
  return Number(value);
}

/** The fds systemd passed to `pid`; empty when LISTEN_PID is unset or names another process. */
export function parseListenFds(env: NodeJS.ProcessEnv, pid: number): PassedFd[] {
  const forPid = env.LISTEN_PID;
  if (forPid === undefined || forPid === '' || count('LISTEN_PID', forPid) !== pid) return [];
  const n = count('LISTEN_FDS', env.LISTEN_FDS ?? '0');
  const names = env.LISTEN_FDNAMES ? env.LISTEN_FDNAMES.split(':') : [];
  return Array.from({ length: n }, (_, i) => ({ fd: LISTEN_FDS_START + i, name: names[i] || 'unknown' }));
}

/**
 * Parses and removes LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES (always, as sd_listen_fds(1) does), so no
 * child believes the sockets were passed to it.
 */
export function takeListenFds(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): PassedFd[] {
  try {
    return parseListenFds(env, pid);
  } finally {
    for (const name of LISTEN_ENV_NAMES) delete env[name];
  }
}
