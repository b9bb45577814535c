// The /proc scan that finds an instance's processes by their environment, never by name.
// About 20 ms per 600 processes, blocking: run it at start-up and after a lock holder vanished.
import { ENV_INSTANCE, ENV_TIER } from '../instance.js';
import type { Tier } from '../paths.js';
import { TIERS } from '../paths.js';
import { listPids, readEnviron, readStat } from './read.js';

export interface InstanceProcess {
  readonly pid: number;
  readonly starttime: number;
  readonly tier: Tier;
  readonly state: string;
  readonly pgrp: number;
  readonly ppid: number;
}

function isTier(value: string | undefined): value is Tier {
  return value !== undefined && (TIERS as readonly string[]).includes(value);
}

/** Every process whose environment marks it as a tier of `instance`, except this process. */
export function scanInstance(instance: string, self: number = process.pid): InstanceProcess[] {
  const found: InstanceProcess[] = [];
  for (const pid of listPids()) {
    if (pid === self) continue;
    const env = readEnviron(pid);
    if (env === null || env.get(ENV_INSTANCE) !== instance) continue;
    const tier = env.get(ENV_TIER);
    if (!isTier(tier)) continue;
    const stat = readStat(pid);
    if (stat === null) continue;
    found.push({ pid, starttime: stat.starttime, tier, state: stat.state, pgrp: stat.pgrp, ppid: stat.ppid });
  }
  return found;
}

/** True when `pid` is a live process whose environment marks it as `tier` of `instance`. */
export function isInstanceTier(pid: number, instance: string, tier: Tier): boolean {
  const env = readEnviron(pid);
  return env !== null && env.get(ENV_INSTANCE) === instance && env.get(ENV_TIER) === tier;
}

/**
 * The processes without those a server process keeps: exec mode's program (and its children) run in
 * the group their keeper leads; they are that server, and killing the keeper's group reaches them.
 */
export function withoutKept(procs: readonly InstanceProcess[]): InstanceProcess[] {
  const serverGroups = new Set(procs.filter((p) => p.tier === 'server' && p.pgrp === p.pid).map((p) => p.pid));
  return procs.filter((p) => !(p.tier === 'server' && p.pgrp !== p.pid && serverGroups.has(p.pgrp)));
}
