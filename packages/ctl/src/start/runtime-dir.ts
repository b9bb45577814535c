// Before starting: the runtime directory must exist (created owner-only when missing, as the cop does), be
// writable and be safe.
import { checkDirOwnership, checkRuntimeDir, resolveServiceUser, type TripodConfig } from '@tripod/core';
import type { Ctl } from '../context.js';

/** Checks (creating it when missing) the runtime directory; throws a TripodError otherwise. */
export function prepareRuntimeDir(ctl: Ctl): void {
  const allowInsecure = ctl.config.allowInsecureDirs;
  const owner = acceptedDirOwners(ctl.config);
  checkRuntimeDir(ctl.config.runtimeDir, { allowInsecure, owner });
  checkDirOwnership(ctl.config.logDir, 'log directory', { allowInsecure, owner });
}

/** With --user the directories belong to the service user (the cop hands them over); else to us. */
export function acceptedDirOwners(config: TripodConfig): number[] | undefined {
  if (config.user === null) return undefined;
  const own = process.geteuid?.() ?? 0;
  return [own, resolveServiceUser(config.user, config.group).uid];
}
