import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { TripodError, systemErrorCode } from '../errors.js';

/** Mode of every directory tripod creates (runtime and log directories, and their missing parents): owner only. */
export const PRIVATE_DIR_MODE = 0o700;

/** Creates a missing directory (and its missing parents) owner-only; an existing one is left as it is. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Makes sure the runtime directory exists (creating it owner-only when missing), is a directory and is writable. */
export function checkRuntimeDir(dir: string): void {
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
}
