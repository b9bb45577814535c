// Which processes of an instance are strays: pure, over a /proc scan and the lock holders.
// A process is accounted for when it holds its tier's lock, or when its parent holds the lock of the
// tier above (a manager the cop is starting, a server the manager starts or drains). Anything else —
// an old server whose manager died, a second cop, a process someone started by hand — is a stray.
import type { InstanceProcess, Tier } from '@tripod/core';
import type { Holders } from '../instance/holders.js';

const PARENT_TIER: Readonly<Record<Tier, Tier | null>> = { cop: null, manager: 'cop', server: 'manager' };

export type Standing = 'lock-holder' | 'child-of-holder' | 'stray';

/** How one process of the instance stands. */
export function standingOf(p: InstanceProcess, holders: Holders): Standing {
  if (holders[p.tier] === p.pid) return 'lock-holder';
  const parent = PARENT_TIER[p.tier];
  if (parent !== null && holders[parent] !== null && holders[parent] === p.ppid) return 'child-of-holder';
  return 'stray';
}

/** The strays among an instance's processes (zombies are the parent's to reap, not ours to kill). */
export function findStrays(procs: readonly InstanceProcess[], holders: Holders): InstanceProcess[] {
  return procs.filter((p) => p.state !== 'Z' && standingOf(p, holders) === 'stray');
}
