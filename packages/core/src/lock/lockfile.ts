// Taking a tier's lock: open O_RDWR|O_CREAT|O_NOFOLLOW, fcntl F_SETLK write lock (async fs-ext),
// truncate, write the PID through the same fd, keep the fd for life. Never reopen your own lock file:
// closing any fd of it drops the lock.
import { closeSync, constants, ftruncateSync, openSync, writeSync } from 'node:fs';
import { TripodError, systemErrorCode } from '../errors.js';
import { loadFsExt } from './fs-ext.js';
import { findLockHolder } from './probe.js';

export interface HeldLock {
  readonly path: string;
  readonly fd: number;
  /** Empties the file (a clean stop leaves no PID behind) and closes the fd, which frees the lock. */
  release(): void;
}

async function setWriteLock(fd: number): Promise<void> {
  const fsExt = await loadFsExt();
  return new Promise((resolve, reject) => {
    fsExt.fcntl(fd, 'setlk', fsExt.constants.F_WRLCK, (err) => (err ? reject(err) : resolve()));
  });
}

function openLockFile(path: string): number {
  try {
    return openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (err) {
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

/** Takes the write lock on `path` for this process and writes its PID, or throws ERR_LOCK_HELD naming the holder. */
export async function acquireLock(path: string, pid: number = process.pid): Promise<HeldLock> {
  const fd = openLockFile(path);
  try {
    await setWriteLock(fd);
  } catch (err) {
    closeSync(fd);
    const code = systemErrorCode(err);
    if (code === 'EAGAIN' || code === 'EACCES') {
      const holder = findLockHolder(path);
      const who = holder === null ? 'another process' : `PID ${holder}`;
      throw new TripodError('ERR_LOCK_HELD', `${path} is locked by ${who}`, { cause: err, details: { path, holder } });
    }
    throw new TripodError('ERR_LOCK_FAILED', `cannot lock ${path}: ${code ?? err}`, { cause: err, details: { path } });
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${pid}\n`, 0);
  let released = false;
  return {
    path,
    fd,
    release() {
      if (released) return;
      released = true;
      try {
        ftruncateSync(fd, 0);
      } finally {
        closeSync(fd);
      }
    },
  };
}
