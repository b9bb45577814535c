// status.json: written atomically (write `.new`, rename) so a reader never sees half a file.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Parsed } from './wire/check.js';

/** Writes `value` as JSON to `path` atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.new`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o644 });
  renameSync(tmp, path);
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
