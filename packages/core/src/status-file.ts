// status.json: written atomically (write `.new`, rename) so a reader never sees half a file.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

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
