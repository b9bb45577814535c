// Opening a file tripod writes (lock, log, status, cop.out) without trusting what is already there:
// never through a symbolic link (O_NOFOLLOW), never a FIFO or device (O_NONBLOCK, then a regular-file
// check), never a file of another user or a hard link to someone else's file (owner and link count).
import { closeSync, constants, fchmodSync, fstatSync, openSync } from 'node:fs';
import { TripodError } from '../errors.js';

/** Owner-only: the mode of every file tripod creates. */
export const OWNER_ONLY = 0o600;

/** The uid files must belong to: the effective uid (null where there is none, e.g. Windows). */
export function ownUid(): number | null {
  return process.geteuid?.() ?? null;
}

/** Why an open file is not one we may write, or null when it is. */
export function whyNotOurs(st: { isFile(): boolean; uid: number; nlink: number }, uid: number | null = ownUid()): string | null {
  if (!st.isFile()) return 'it is not a regular file';
  if (uid !== null && st.uid !== uid) return `it belongs to uid ${st.uid}, not to uid ${uid}`;
  if (st.nlink !== 1) return `it has ${st.nlink} hard links (one could be someone else's file)`;
  return null;
}

/**
 * Opens `path` with `flags` (plus O_NOFOLLOW and O_NONBLOCK) creating it `mode`, and checks it is a regular
 * file of ours with one link; group and other permission bits of an existing file are removed.
 * System errors (ELOOP for a symbolic link, ENOENT, EACCES, …) are thrown as they are; a file that is not
 * ours throws ERR_FILE_NOT_OURS.
 */
export function openOwnFile(path: string, flags: number, mode: number = OWNER_ONLY): number {
  const fd = openSync(path, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode);
  try {
    const st = fstatSync(fd);
    const why = whyNotOurs(st);
    if (why !== null) {
      throw new TripodError('ERR_FILE_NOT_OURS', `refusing to write ${path}: ${why} (remove it; tripod creates its own)`, { details: { path, uid: st.uid, mode: st.mode & 0o7777, nlink: st.nlink } });
    }
    if ((st.mode & 0o077 & ~mode) !== 0) fchmodSync(fd, st.mode & 0o777 & mode);
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
