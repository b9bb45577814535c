// Probing a lock without taking it: /proc/locks names the holder's PID for the file's inode.
// Never call these on a lock file this process holds itself: reading its content opens and closes an
// fd, and closing any fd of a POSIX-locked file drops the lock.
import { closeSync, constants, lstatSync, openSync, readFileSync } from 'node:fs';
import { findWriteLockHolder } from '../proc/locks.js';
import { readProcLocks } from '../proc/read.js';
import { parseLockContent, type LockContent } from './content.js';
import { loadFsExt } from './fs-ext.js';

export interface LockProbe {
  readonly path: string;
  readonly exists: boolean;
  readonly isSymlink: boolean;
  /** PID of the process holding the write lock, or null when nobody does. -1: held, holder unknown (no /proc/locks). */
  readonly holder: number | null;
  /** What the file says; compared with `holder` it tells stale, corrupt and foreign PIDs apart. */
  readonly content: LockContent | null;
}

/** PID of the process holding a POSIX write lock on `path` according to /proc/locks, or null. */
export function findLockHolder(path: string): number | null {
  let st;
  try {
    st = lstatSync(path, { bigint: true });
  } catch {
    return null;
  }
  const entries = readProcLocks();
  if (entries === null) return null;
  return findWriteLockHolder(entries, st.dev, Number(st.ino));
}

/** Where /proc/locks is missing: take the lock and release it at once (racy; the fallback only). */
async function isHeldByTaking(path: string): Promise<boolean> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  const fsExt = await loadFsExt();
  const taken = await new Promise<boolean>((resolve) => fsExt.fcntl(fd, 'setlk', fsExt.constants.F_WRLCK, (err) => resolve(!err)));
  closeSync(fd); // closing frees what we took
  return !taken;
}

/** The state of a lock file: does it exist, who holds it, what does it say. */
export async function probeLock(path: string): Promise<LockProbe> {
  let isSymlink = false;
  try {
    isSymlink = lstatSync(path).isSymbolicLink();
  } catch {
    return { path, exists: false, isSymlink: false, holder: null, content: null };
  }
  let content: LockContent | null = null;
  if (!isSymlink) {
    try {
      content = parseLockContent(readFileSync(path, 'utf8'));
    } catch {
      content = null;
    }
  }
  let holder: number | null;
  if (readProcLocks() !== null) holder = findLockHolder(path);
  else holder = (await isHeldByTaking(path)) ? (content?.valid ? content.pid : -1) : null;
  return { path, exists: true, isSymlink, holder, content };
}

