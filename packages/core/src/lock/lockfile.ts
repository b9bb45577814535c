// Taking a tier's lock: open O_RDWR|O_CREAT|O_NOFOLLOW mode 0600 (a file of ours with one link, see
// fs/own-file.ts), fcntl F_SETLK write lock (async fs-ext), truncate, write the PID through the same fd,
// keep the fd for life. Never reopen your own lock file: closing any fd of it drops the lock.
// A holder watches its file: deleted or replaced under it, it takes the lock again on a fresh file.
import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, writeSync } from 'node:fs';
import { TripodError, isTripodError, systemErrorCode } from '../errors.js';
import { openOwnFile } from '../fs/own-file.js';
import { describeProcess, readProcLocksAsync } from '../proc/read.js';
import { loadFsExt } from './fs-ext.js';
import { findDetachedHolder, findLockHolder } from './probe.js';

export type LockCheck =
  | { readonly state: 'ok' }
  | { readonly state: 'retaken'; readonly why: 'deleted' | 'replaced' }
  | { readonly state: 'failed'; readonly why: 'deleted' | 'replaced'; readonly error: TripodError };

export type LockEventSink = (event: string, fields: Record<string, unknown>) => void;

export interface HeldLock {
  readonly path: string;
  /** The fd holding the lock (a new one after the lock was taken again on a fresh file). */
  readonly fd: number;
  /** Empties the file (a clean stop leaves no PID behind) and closes the fd, which frees the lock. */
  release(): void;
  /** Checks that `path` is still the file we hold; deleted or replaced, takes the lock again on a fresh file. */
  verify(): Promise<LockCheck>;
  /** Runs verify() every `intervalMs` until release, reporting what it did (`lock.retaken`, `lock.retake-failed`). */
  watch(onEvent: LockEventSink, intervalMs?: number): void;
}

/** How often a holder checks that its lock file is still the one it locked. */
export const LOCK_WATCH_MS = 250;

async function setWriteLock(fd: number): Promise<void> {
  const fsExt = await loadFsExt();
  return new Promise((resolve, reject) => {
    fsExt.fcntl(fd, 'setlk', fsExt.constants.F_WRLCK, (err) => (err ? reject(err) : resolve()));
  });
}

function openLockFile(path: string): number {
  try {
    return openOwnFile(path, constants.O_RDWR | constants.O_CREAT);
  } catch (err) {
    if (isTripodError(err)) throw err;
    const code = systemErrorCode(err);
    if (code === 'ELOOP') {
      throw new TripodError('ERR_LOCK_SYMLINK', `lock file ${path} is a symbolic link; refusing to follow it (remove it)`, { cause: err, details: { path } });
    }
    if (code === 'ENOENT') {
      throw new TripodError('ERR_RUNTIME_DIR_MISSING', `cannot create lock file ${path}: its directory does not exist`, { cause: err, details: { path } });
    }
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
      throw new TripodError('ERR_RUNTIME_DIR_NOT_WRITABLE', `cannot open lock file ${path} for writing (${code})`, { cause: err, details: { path } });
    }
    throw new TripodError('ERR_LOCK_FAILED', `cannot open lock file ${path}: ${code ?? err}`, { cause: err, details: { path } });
  }
}

function heldError(path: string, holder: number | null, cause?: unknown): TripodError {
  const who = holder === null ? 'another process' : describeProcess(holder);
  return new TripodError('ERR_LOCK_HELD', `${path} is locked by ${who}`, { cause, details: { path, holder, holderDescription: who } });
}

/** Opens and locks a fresh fd on `path`, or throws; the fd is closed on failure. */
async function lockFresh(path: string): Promise<number> {
  const fd = openLockFile(path);
  // /proc/locks (who holds it, or a deleted copy of it) is read beside the fcntl, both on the thread
  // pool: not on the event loop (a successor takes its lock while it already serves), and in the same
  // trip (an overloaded server's event loop comes round seldom).
  const entries = readProcLocksAsync();
  try {
    await setWriteLock(fd);
  } catch (err) {
    closeSync(fd);
    const code = systemErrorCode(err);
    if (code === 'EAGAIN' || code === 'EACCES') throw heldError(path, findLockHolder(path, await entries), err);
    throw new TripodError('ERR_LOCK_FAILED', `cannot lock ${path}: ${code ?? err}`, { cause: err, details: { path } });
  }
  // The file we locked is new if someone deleted the old one while its holder still runs: that holder counts.
  let detached: number | null;
  try {
    detached = findDetachedHolder(path, await entries);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (detached !== null) {
    closeSync(fd);
    throw heldError(path, detached);
  }
  return fd;
}

function writePid(fd: number, pid: number): void {
  ftruncateSync(fd, 0);
  writeSync(fd, `${pid}\n`, 0);
}

/** What happened to the file at `path` since we locked `fd`: null when it is still the same file. */
function whatChanged(path: string, fd: number): 'deleted' | 'replaced' | null {
  let held;
  try {
    held = fstatSync(fd);
  } catch {
    return null;
  }
  try {
    const now = lstatSync(path);
    return now.ino === held.ino && now.dev === held.dev ? null : 'replaced';
  } catch {
    return 'deleted';
  }
}

/** Takes the write lock on `path` for this process and writes its PID, or throws ERR_LOCK_HELD naming the holder. */
export async function acquireLock(path: string, pid: number = process.pid): Promise<HeldLock> {
  let fd = await lockFresh(path);
  writePid(fd, pid);
  let released = false;
  let checking: Promise<LockCheck> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let lastFailure: string | null = null;

  const retake = async (why: 'deleted' | 'replaced'): Promise<LockCheck> => {
    try {
      const fresh = await lockFresh(path);
      if (released) {
        closeSync(fresh);
        return { state: 'ok' };
      }
      writePid(fresh, pid);
      const old = fd;
      fd = fresh;
      closeSync(old); // frees only the lock on the old, unlinked inode
      return { state: 'retaken', why };
    } catch (err) {
      const error = isTripodError(err) ? err : new TripodError('ERR_LOCK_FAILED', `cannot lock ${path} again: ${String(err)}`, { cause: err, details: { path } });
      return { state: 'failed', why, error };
    }
  };

  const lock: HeldLock = {
    path,
    get fd() {
      return fd;
    },
    release() {
      if (released) return;
      released = true;
      if (timer) clearInterval(timer);
      try {
        ftruncateSync(fd, 0); // our own inode, even when the path names another file by now
      } finally {
        closeSync(fd);
      }
    },
    verify() {
      if (released) return Promise.resolve({ state: 'ok' });
      checking ??= (async () => {
        const why = whatChanged(path, fd);
        return why === null ? { state: 'ok' as const } : retake(why);
      })().finally(() => (checking = null));
      return checking;
    },
    watch(onEvent, intervalMs = LOCK_WATCH_MS) {
      if (timer || released) return;
      timer = setInterval(() => {
        void lock.verify().then((check) => {
          if (check.state === 'retaken') {
            lastFailure = null;
            onEvent('lock.retaken', { path, why: check.why });
          } else if (check.state === 'failed' && check.error.message !== lastFailure) {
            // Said once per distinct reason; the next tick tries again.
            lastFailure = check.error.message;
            onEvent('lock.retake-failed', { path, why: check.why, code: check.error.code, error: check.error.message });
          }
        });
      }, intervalMs);
      timer.unref();
    },
  };
  return lock;
}
