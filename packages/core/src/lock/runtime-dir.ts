import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { TripodError, systemErrorCode } from '../errors.js';

/** Checks that the runtime directory exists, is a directory and is writable; creates it only if asked. */
export function checkRuntimeDir(dir: string, options: { create?: boolean } = {}): void {
  if (options.create) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw new TripodError('ERR_RUNTIME_DIR_NOT_WRITABLE', `cannot create runtime directory ${dir}: ${systemErrorCode(err) ?? err}`, { cause: err, details: { dir } });
    }
  }
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    throw new TripodError('ERR_RUNTIME_DIR_MISSING', `runtime directory ${dir} does not exist (create it, or pass --runtime-dir)`, { cause: err, details: { dir } });
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
