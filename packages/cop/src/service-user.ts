// `--user`: the cop stays root (it binds the listeners, holds cop.lock, supervises); the manager and
// the server run as the service user, in a runtime directory that belongs to that user.
import { chownSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import type { TripodConfig } from '@tripod/core/config/config';
import { resolveServiceUser, type ServiceUser } from '@tripod/core/config/service-user';
import { TripodError } from '@tripod/core/errors';
import { findLockHolder } from '@tripod/core/lock/probe';
import type { RuntimePaths } from '@tripod/core/paths';

/** The service user of `config`, or null when the tiers run as the cop's own user. Throws unless started as root. */
export function serviceUserOf(config: TripodConfig): ServiceUser | null {
  if (config.user === null) return null;
  if (process.geteuid?.() !== 0) {
    throw new TripodError('ERR_CONFIG_INVALID', `invalid user: ${JSON.stringify(config.user)} (--user needs the cop to be started as root; without root, start tripod as that user instead)`, { details: { field: 'user', value: config.user } });
  }
  return resolveServiceUser(config.user, config.group);
}

/** The uids the runtime and log directories may belong to: the cop's, and the service user's. */
export function acceptedOwners(user: ServiceUser | null): number[] | undefined {
  return user === null ? undefined : [0, user.uid];
}

/**
 * Hands the runtime and log directories to the service user, and removes files of the manager and the
 * server left by an earlier run under another uid (which the service user could not open again), as
 * long as no process holds their locks.
 */
export function prepareForServiceUser(paths: RuntimePaths, user: ServiceUser): void {
  mkdirSync(paths.logDir, { recursive: true, mode: 0o700 });
  chownSync(paths.dir, user.uid, user.gid);
  chownSync(paths.logDir, user.uid, user.gid);
  const tierFiles = [paths.lockFile('manager'), paths.lockFile('server'), paths.statusFile, paths.controlSocket, paths.logFile('manager'), paths.logFile('server')];
  if (findLockHolder(paths.lockFile('manager')) !== null || findLockHolder(paths.lockFile('server')) !== null) return;
  for (const file of tierFiles) {
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (st && !st.isDirectory() && st.uid !== user.uid) rmSync(file, { force: true });
  }
}
