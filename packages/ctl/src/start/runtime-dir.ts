// Before starting: the runtime directory must exist (ctl creates only the default `.tripod`, as the cop does).
import { checkDirOwnership, checkRuntimeDir, envNameFor, resolveServiceUser, type TripodConfig } from '@tripod/core';
import type { Ctl } from '../context.js';

/** True when no runtime directory was named anywhere (flag, environment, config file). */
export function isDefaultRuntimeDir(ctl: Ctl, env: NodeJS.ProcessEnv = process.env): boolean {
  return ctl.argv['runtime-dir'] === undefined && !env[envNameFor('runtime-dir')] && ctl.configFile === null;
}

/** Checks (and for the default location creates) the runtime directory; throws a TripodError otherwise. */
export function prepareRuntimeDir(ctl: Ctl): void {
  const allowInsecure = ctl.config.allowInsecureDirs;
  const owner = acceptedDirOwners(ctl.config);
  checkRuntimeDir(ctl.config.runtimeDir, { create: isDefaultRuntimeDir(ctl), allowInsecure, owner });
  checkDirOwnership(ctl.config.logDir, 'log directory', { allowInsecure, owner });
}

/** With --user the directories belong to the service user (the cop hands them over); else to us. */
export function acceptedDirOwners(config: TripodConfig): number[] | undefined {
  if (config.user === null) return undefined;
  const own = process.geteuid?.() ?? 0;
  return [own, resolveServiceUser(config.user, config.group).uid];
}
