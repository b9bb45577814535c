// The last N lines of a file, read backwards in blocks so a large log costs what the tail costs.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const BLOCK = 64 * 1024;

/** The last `n` complete or trailing lines of `path`; [] when the file is missing. Also returns the size read up to. */
export function tailLines(path: string, n: number): { lines: string[]; size: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { lines: [], size: 0 };
  }
  try {
    const size = fstatSync(fd).size;
    if (n <= 0) return { lines: [], size };
    let pos = size;
    let text = '';
    while (pos > 0) {
      const len = Math.min(BLOCK, pos);
      pos -= len;
      const buffer = Buffer.alloc(len);
      readSync(fd, buffer, 0, len, pos);
      text = buffer.toString('utf8') + text;
      if (text.split('\n').length > n + 1) break;
    }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (pos > 0) lines.shift(); // the first line may be cut
    return { lines: lines.slice(-n), size };
  } finally {
    closeSync(fd);
  }
}
