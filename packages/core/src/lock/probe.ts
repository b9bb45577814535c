// Probing a lock without taking it: /proc/locks names the holder's PID for the file's inode.
// Never call these on a lock file this process holds itself: reading its content opens and closes an
// fd, and closing any fd of a POSIX-locked file drops the lock.
import { closeSync, constants, lstatSync, openSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { findWriteLockHolder, splitDev, type LockEntry } from '../proc/locks.js';
import { PROC_ROOT, readProcLocks } from '../proc/read.js';
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

/**
 * PID of the process holding a POSIX write lock on `path` according to /proc/locks, or null.
 * A lock file deleted or replaced while held (an operator's `rm`, a tmp cleaner) still has its holder
 * until that holder notices and takes the lock again on a fresh file: it is found here too, through
 * the holder's open fd that names `path (deleted)`, so nobody mistakes the gap for a free lock.
 */
export function findLockHolder(path: string, entries: readonly LockEntry[] | null = readProcLocks()): number | null {
  if (entries === null) return null;
  try {
    const st = lstatSync(path, { bigint: true });
    const holder = findWriteLockHolder(entries, st.dev, Number(st.ino));
    if (holder !== null) return holder;
  } catch {
    // missing: look for a holder of the deleted file
  }
  return findDetachedHolder(path, entries);
}

/** The process holding a write lock on a file that was at `path` and has since been unlinked, or null. */
export function findDetachedHolder(path: string, entries: readonly LockEntry[] | null = readProcLocks()): number | null {
  if (entries === null) return null;
  let dirDev: bigint;
  try {
    dirDev = statSync(dirname(path), { bigint: true }).dev;
  } catch {
    return null;
  }
  const { major, minor } = splitDev(dirDev);
  const candidates = new Set(entries.filter((e) => e.pid > 0 && !e.blocked && e.kind === 'POSIX' && e.access === 'WRITE' && e.major === major && e.minor === minor).map((e) => e.pid));
  for (const pid of candidates) {
    if (pid === process.pid) continue;
    if (holdsDeleted(pid, path, entries)) return pid;
  }
  return null;
}

function holdsDeleted(pid: number, path: string, entries: readonly LockEntry[]): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`${PROC_ROOT}/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`${PROC_ROOT}/${pid}/fd/${fd}`) !== `${path} (deleted)`) continue;
      const ino = Number(statSync(`${PROC_ROOT}/${pid}/fd/${fd}`, { bigint: true }).ino);
      if (entries.some((e) => e.pid === pid && e.inode === ino && e.access === 'WRITE')) return true;
    } catch {
      // the fd closed meanwhile
    }
  }
  return false;
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
    return { path, exists: false, isSymlink: false, holder: findDetachedHolder(path), content: null };
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

