import { join } from 'node:path';

export type Tier = 'cop' | 'manager' | 'server';
export const TIERS: readonly Tier[] = ['cop', 'manager', 'server'];

/** Where an instance keeps its files, all inside one runtime directory. */
export interface RuntimePaths {
  readonly dir: string;
  readonly logDir: string;
  readonly controlSocket: string;
  readonly statusFile: string;
  /** The cop's own view, beside the manager's status.json. */
  readonly copStatusFile: string;
  lockFile(tier: Tier): string;
  logFile(tier: Tier): string;
}

/** The file layout of the runtime directory `dir` (logs under `logDir`, default `dir/logs`). */
export function runtimePaths(dir: string, logDir?: string): RuntimePaths {
  const logs = logDir ?? join(dir, 'logs');
  return {
    dir,
    logDir: logs,
    controlSocket: join(dir, 'manager.sock'),
    statusFile: join(dir, 'status.json'),
    copStatusFile: join(dir, 'cop-status.json'),
    lockFile: (tier) => join(dir, `${tier}.lock`),
    logFile: (tier) => join(logs, `${tier}.log`),
  };
}

