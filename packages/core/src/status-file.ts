// status.json and cop-status.json: written atomically so a reader never sees half a file, and never
// through a link someone planted: a temporary file with an unpredictable name, created exclusively
// (O_EXCL, O_NOFOLLOW) owner-only, then renamed over the target (rename replaces a link, never follows it).
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OWNER_ONLY } from './fs/own-file.js';
import type { Parsed } from './wire/check.js';

/** The temporary name a write of `path` goes through: `.status.json.<random>.tmp` beside it. */
export function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
}

/** Writes `value` as JSON to `path` atomically, owner-only. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = temporaryName(path);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, OWNER_ONLY);
  try {
    try {
      writeSync(fd, JSON.stringify(value, null, 2) + '\n');
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Reads a JSON file, or null when it is missing or not JSON. */
export function readJsonFile<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Reads a document another process wrote and checks it against its contract; null when missing, not JSON, or off the contract. */
export function readDocument<T>(path: string, parse: (value: unknown) => Parsed<T>): T | null {
  const value = readJsonFile<unknown>(path);
  if (value === null) return null;
  const parsed = parse(value);
  return parsed.ok ? parsed.value : null;
}
