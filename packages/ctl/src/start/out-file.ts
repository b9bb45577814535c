// <logDir>/cop.out: where a daemon's stdout and stderr go; ctl shows its tail when a start fails.
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface OutFile {
  readonly path: string;
  readonly fd: number;
  /** Size before this start wrote anything: the tail shown on failure begins here. */
  readonly offset: number;
}

/** Opens (appending) the daemon's output file and writes a marker line for this start. */
export function openOutFile(logDir: string): OutFile {
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const path = join(logDir, 'cop.out');
  const fd = openSync(path, 'a', 0o644);
  const offset = fstatSync(fd).size;
  writeSync(fd, `--- tripod start --daemon at ${new Date().toISOString()} (ctl PID ${process.pid})\n`);
  return { path, fd, offset };
}

/** The last `lines` lines written to `path` since `offset`. */
export function tailSince(path: string, offset: number, lines = 20, maxBytes = 64 * 1024): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(offset, size - maxBytes);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, buffer, 0, buffer.length, start);
    return buffer.toString('utf8').split('\n').filter(Boolean).slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
