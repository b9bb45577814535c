// Who holds each tier's lock, and whether that holder really is a tier of this instance.
import { ENV_INSTANCE, ENV_TIER, TIERS, findLockHolder, identify, readEnviron, type ProcessIdentity, type RuntimePaths, type Tier } from '@tripod/core';

export type Holders = Record<Tier, number | null>;

/** The PID holding each lock right now (/proc/locks), or null. */
export function lockHolders(paths: RuntimePaths): Holders {
  return Object.fromEntries(TIERS.map((t) => [t, findLockHolder(paths.lockFile(t))])) as Holders;
}

export type VerifiedHolder =
  | { readonly kind: 'none' }
  | { readonly kind: 'ours'; readonly who: ProcessIdentity; readonly marked: boolean }
  | { readonly kind: 'foreign'; readonly pid: number };

/**
 * Whether `pid` may be treated as `tier` of `instance`: its environment says so; or, for the cop only,
 * its environment names no instance at all (a cop started by systemd or by hand is not marked; ctl
 * marks the cops it starts). A process marked as another instance or tier, or whose environment
 * cannot be read (another user), is not ours.
 */
export function isOurs(pid: number, instance: string, tier: Tier): { ours: boolean; marked: boolean } {
  const env = readEnviron(pid);
  if (env === null) return { ours: false, marked: false };
  const marked = env.get(ENV_INSTANCE);
  if (marked === undefined) return { ours: tier === 'cop', marked: false };
  return { ours: marked === instance && env.get(ENV_TIER) === tier, marked: true };
}

/** The holder of `tier`'s lock with its identity, verified as that tier of `instance` (see isOurs). */
export function verifiedHolder(paths: RuntimePaths, instance: string | null, tier: Tier): VerifiedHolder {
  const pid = findLockHolder(paths.lockFile(tier));
  if (pid === null) return { kind: 'none' };
  const who = identify(pid);
  if (who === null) return { kind: 'none' };
  if (instance === null) return { kind: 'foreign', pid };
  const { ours, marked } = isOurs(pid, instance, tier);
  return ours ? { kind: 'ours', who, marked } : { kind: 'foreign', pid };
}
