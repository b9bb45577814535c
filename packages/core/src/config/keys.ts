// The keys a configuration may hold, and the nearest known key for a misspelt one (`listn` → `listen`).
import type { RestartPolicy } from '../policy/restart-policy.js';
import type { TripodConfig } from './config.js';

/** Top-level keys of a configuration file (and of the `--config-json` a parent tier hands down). */
export const CONFIG_KEYS = [
  'runtimeDir', 'logDir', 'logLevel', 'listen', 'app', 'staticDir', 'backlog', 'standby', 'checkIntervalMs', 'probeTimeoutMs',
  'probeFailures', 'startGraceMs', 'launchTimeoutMs', 'drainTimeoutMs', 'killGraceMs', 'coreSignal', 'stallLimitMs', 'allowInsecureDirs', 'user', 'group',
  'hangAfterMs', 'killOnSlowMs', 'stallKillMs', 'servers', 'restartBatch', 'minUptimeMs', 'maxMemory', 'memoryWindowMs', 'restart',
  'exec', 'execCwd', 'ready', 'stopSignal', 'execWatchdogMs',
] as const;

/** Keys of the `restart` object. */
export const RESTART_KEYS = ['baseDelayMs', 'maxDelayMs', 'jitter', 'healthyAfterMs', 'noRestartCode'] as const;

// A key added to TripodConfig but not listed above would make every configuration "unknown": fail the build instead.
type Unlisted<T, K> = Exclude<keyof T, K>;
const EVERY_CONFIG_KEY_LISTED: [Unlisted<TripodConfig, (typeof CONFIG_KEYS)[number]>] extends [never] ? true : never = true;
const EVERY_RESTART_KEY_LISTED: [Unlisted<RestartPolicy, (typeof RESTART_KEYS)[number]>] extends [never] ? true : never = true;
void EVERY_CONFIG_KEY_LISTED;
void EVERY_RESTART_KEY_LISTED;

/** TRIPOD_* variables that are not configuration values: tripod's own bookkeeping and the config file. */
export const NON_CONFIG_ENV = ['TRIPOD_CONFIG', 'TRIPOD_INSTANCE', 'TRIPOD_TIER', 'TRIPOD_KEEPER'] as const;

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[y.length]!;
}

/** The known key closest to `key`, or null when none is close (more than a third of it differs). */
export function nearestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.ceil(key.length / 3)) ? best : null;
}
