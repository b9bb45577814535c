import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { Tier } from './paths.js';

/** Environment variables that mark a process as a tier of one instance (read back from /proc/PID/environ). */
export const ENV_INSTANCE = 'TRIPOD_INSTANCE';
export const ENV_TIER = 'TRIPOD_TIER';

/** A stable instance id derived from the runtime directory's real path, so a new cop finds an old cop's strays. */
export function instanceIdFor(runtimeDir: string): string {
  const real = realpathSync(runtimeDir);
  return createHash('sha256').update(real).digest('hex').slice(0, 16);
}

/** The environment a tier of `instance` is started with. */
export function tierEnv(base: NodeJS.ProcessEnv, instance: string, tier: Tier): NodeJS.ProcessEnv {
  return { ...base, [ENV_INSTANCE]: instance, [ENV_TIER]: tier };
}
