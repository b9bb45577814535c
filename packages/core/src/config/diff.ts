// What a reload may change live, and what needs a restart: a pure comparison of two configurations.
import type { TripodConfig } from './config.js';

/** Fields that need the whole instance restarted (new sockets, new directories). */
export const INSTANCE_RESTART_FIELDS = ['runtimeDir', 'logDir', 'listen', 'user', 'group'] as const;
/** Fields that take effect when the next server starts (`tripod restart` starts one gracefully). */
export const SERVER_RESTART_FIELDS = ['app', 'staticDir', 'backlog', 'exec', 'execCwd', 'ready', 'stopSignal', 'execWatchdogMs'] as const;

export interface ConfigChange {
  /** Changed fields that are in force as soon as the reload is done. */
  readonly applied: string[];
  /** Changed fields that are not in force yet, each with what it takes. */
  readonly needsRestart: string[];
  /** The configuration to run on: the new one, except the fields only an instance restart can change. */
  readonly next: TripodConfig;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compares the running configuration with a freshly loaded one. */
export function diffConfig(running: TripodConfig, loaded: TripodConfig): ConfigChange {
  const applied: string[] = [];
  const needsRestart: string[] = [];
  const fields = Object.keys(loaded) as (keyof TripodConfig)[];
  for (const field of fields) {
    if (field === 'restart') {
      for (const key of Object.keys(loaded.restart) as (keyof TripodConfig['restart'])[]) {
        if (loaded.restart[key] !== running.restart[key]) applied.push(`restart.${key}`);
      }
      continue;
    }
    if (same(running[field], loaded[field])) continue;
    if ((INSTANCE_RESTART_FIELDS as readonly string[]).includes(field)) needsRestart.push(`${field} (stop and start the instance)`);
    else if ((SERVER_RESTART_FIELDS as readonly string[]).includes(field)) needsRestart.push(`${field} (at the next server start: tripod restart)`);
    else applied.push(field);
  }
  const next: TripodConfig = Object.freeze({ ...loaded, runtimeDir: running.runtimeDir, logDir: running.logDir, listen: running.listen, user: running.user, group: running.group });
  return { applied, needsRestart, next };
}
