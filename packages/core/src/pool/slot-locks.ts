// Listing and probing the pool's slot locks in a runtime directory (the cop, ctl and a new manager use it).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findLockHolder } from '../lock/probe.js';
import { serverLockPath, slotOfLockName } from './slots.js';

export interface SlotLock {
  readonly slot: number;
  readonly path: string;
}

/** Every server slot lock file in `dir`, by slot (files of slots no longer used included). */
export function listSlotLocks(dir: string): SlotLock[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const locks: SlotLock[] = [];
  for (const name of names) {
    const slot = slotOfLockName(name);
    if (slot !== null) locks.push({ slot, path: join(dir, name) });
  }
  return locks.sort((a, b) => a.slot - b.slot);
}

export interface SlotHolder extends SlotLock {
  readonly pid: number;
}

/**
 * The servers holding a slot lock in `dir` right now (from /proc/locks; never takes a lock). Slot 0's
 * `server.lock` is always asked, listed or not: a holder whose lock file was just deleted still holds
 * its lock (/proc names it) until it takes the file again, and the cop must not count that as a free lock.
 */
export function findSlotHolders(dir: string): SlotHolder[] {
  const held: SlotHolder[] = [];
  const locks = listSlotLocks(dir);
  if (!locks.some((l) => l.slot === 0)) locks.unshift({ slot: 0, path: serverLockPath(dir, 0) });
  for (const lock of locks) {
    const pid = findLockHolder(lock.path);
    if (pid !== null) held.push({ ...lock, pid });
  }
  return held;
}

