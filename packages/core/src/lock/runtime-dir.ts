// The runtime (and log) directory must be ours before anything is written in it: it exists, is a
// directory, is writable, belongs to us and is not writable by others (OpenSSH's StrictModes), and the
// control socket's path fits a unix socket address.
import { accessSync, constants, lstatSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TripodError, systemErrorCode } from '../errors.js';
import { ownUid } from '../fs/own-file.js';

/** The longest unix socket path Linux accepts: sun_path is 108 bytes with the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

export interface DirCheckOptions {
  /** Accept a directory owned by another user or writable by others (the documented opt-out). */
  readonly allowInsecure?: boolean;
  /** The uid(s) the directory may belong to (default: the effective uid). */
  readonly owner?: number | readonly number[] | null;
}

/** Why a directory with this owner and mode is unsafe for tripod's files, or null when it is fine. */
export function whyInsecure(st: { uid: number; mode: number }, owner: number | readonly number[] | null): string | null {
  const mode = st.mode & 0o7777;
  const sticky = (mode & 0o1000) !== 0;
  const owners = owner === null ? null : typeof owner === 'number' ? [owner] : owner;
  if (owners !== null && !owners.includes(st.uid)) return `it belongs to uid ${st.uid}, not to uid ${owners.join(' or ')}`;
  if ((mode & 0o002) !== 0 && !sticky) return 'it is writable by every user and has no sticky bit';
  if ((mode & 0o020) !== 0 && !sticky) return 'it is writable by its group and has no sticky bit';
  return null;
}

/** The ls-style description of a directory's owner and mode, for error messages. */
export function describeDir(st: { uid: number; gid: number; mode: number }): string {
  return `owner uid ${st.uid}, group gid ${st.gid}, mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}`;
}

/** Refuses a directory another user could tamper with (unless `allowInsecure`); `what` names it in the error. */
export function checkDirOwnership(dir: string, what: string, options: DirCheckOptions = {}): void {
  if (options.allowInsecure) return;
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return; // missing: whoever creates it creates it ours
  }
  if (st.isSymbolicLink()) st = statSync(dir);
  const why = whyInsecure(st, options.owner === undefined ? ownUid() : options.owner);
  if (why === null) return;
  throw new TripodError(
    'ERR_RUNTIME_DIR_INSECURE',
    `${what} ${dir} is not safe: ${why} (${describeDir(st)}); another user could plant or replace files the tiers trust. ` +
      `Use a directory of your own with mode 0700 (chmod 700 ${dir}), or pass --allow-insecure-dirs if you trust every user who can write there`,
    { details: { dir, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, why } },
  );
}

/** Refuses a runtime directory whose `manager.sock` would not fit a unix socket address. */
export function checkSocketPath(dir: string): void {
  const socket = join(dir, 'manager.sock');
  const bytes = Buffer.byteLength(socket);
  if (bytes <= MAX_SOCKET_PATH_BYTES) return;
  throw new TripodError(
    'ERR_SOCKET_PATH_TOO_LONG',
    `the control socket ${socket} would be ${bytes} bytes long, more than the ${MAX_SOCKET_PATH_BYTES} a unix socket address holds; ` +
      `use a shorter --runtime-dir (logs can stay where they are with --log-dir)`,
    { details: { dir, socket, bytes, max: MAX_SOCKET_PATH_BYTES } },
  );
}

/** Mode of every directory tripod creates (runtime and log directories, and their missing parents): owner only. */
export const PRIVATE_DIR_MODE = 0o700;

/** Creates a missing directory (and its missing parents) owner-only; an existing one is left as it is. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Makes sure the runtime directory exists (creating it owner-only when missing), is a directory, is writable and is safe. */
export function checkRuntimeDir(dir: string, options: DirCheckOptions = {}): void {
  checkSocketPath(dir);
  try {
    ensurePrivateDir(dir);
  } catch (err) {
    const code = systemErrorCode(err);
    if (code === 'EEXIST') {
      throw new TripodError('ERR_RUNTIME_DIR_MISSING', `runtime directory ${dir} is not a directory`, { cause: err, details: { dir } });
    }
    throw new TripodError('ERR_RUNTIME_DIR_NOT_WRITABLE', `cannot create runtime directory ${dir}: ${code ?? err}`, { cause: err, details: { dir } });
  }
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    throw new TripodError('ERR_RUNTIME_DIR_MISSING', `runtime directory ${dir} does not exist`, { cause: err, details: { dir } });
  }
  if (!isDir) {
    throw new TripodError('ERR_RUNTIME_DIR_MISSING', `runtime directory ${dir} is not a directory`, { details: { dir } });
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new TripodError('ERR_RUNTIME_DIR_NOT_WRITABLE', `runtime directory ${dir} is not writable by uid ${process.getuid?.()} (${systemErrorCode(err)})`, { cause: err, details: { dir } });
  }
  checkDirOwnership(dir, 'runtime directory', options);
}
