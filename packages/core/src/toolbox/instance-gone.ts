// "Is the instance gone?": no live process carries its TRIPOD_INSTANCE and no tier's lock is held.
// Zombies do not count: they are dead, waiting for their parent to reap them.
import { findLockHolder } from '../lock/probe.js';
import { TIERS, type RuntimePaths, type Tier } from '../paths.js';
import { scanInstance, type InstanceProcess } from '../proc/scan.js';

export interface InstanceRemains {
  readonly procs: readonly InstanceProcess[];
  /** Tiers whose lock some process still holds. */
  readonly locks: readonly Tier[];
}

/** What is left of the instance: its live processes and its held locks. */
export function instanceRemains(instance: string, paths: RuntimePaths): InstanceRemains {
  return {
    procs: scanInstance(instance).filter((p) => p.state !== 'Z'),
    locks: TIERS.filter((t) => findLockHolder(paths.lockFile(t)) !== null),
  };
}

/** True when nothing of the instance is left (see instanceRemains). */
export function instanceGone(instance: string, paths: RuntimePaths): boolean {
  const { procs, locks } = instanceRemains(instance, paths);
  return procs.length === 0 && locks.length === 0;
}
