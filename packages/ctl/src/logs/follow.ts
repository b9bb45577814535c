// `tail -F` for one file: keep reading what is appended; when the path is renamed away (logrotate)
// and a new file appears, finish the old one and go on with the new; when it is truncated, start over.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export const FOLLOW_POLL_MS = 200;

/** Follows one path from `offset`; `poll()` returns the complete new lines. */
export class Follower {
  private fd: number | null = null;
  private ino = 0;
  private partial = '';

  constructor(
    readonly path: string,
    private offset: number,
  ) {
    this.open(offset);
  }

  private open(offset: number): void {
    try {
      this.fd = openSync(this.path, 'r');
      this.ino = fstatSync(this.fd).ino;
      this.offset = offset;
    } catch {
      this.fd = null;
    }
  }

  private drain(): string[] {
    if (this.fd === null) return [];
    const size = fstatSync(this.fd).size;
    if (size < this.offset) {
      this.offset = 0; // truncated in place
      this.partial = '';
    }
    let text = '';
    while (this.offset < size) {
      const buffer = Buffer.alloc(Math.min(256 * 1024, size - this.offset));
      const n = readSync(this.fd, buffer, 0, buffer.length, this.offset);
      if (n <= 0) break;
      this.offset += n;
      text += buffer.subarray(0, n).toString('utf8');
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }

  /** New complete lines since the last poll, across a rename and reopen. */
  poll(): string[] {
    const lines = this.drain();
    let current: number | null = null;
    try {
      current = statSync(this.path).ino;
    } catch {
      current = null; // renamed away, the new file not there yet
    }
    if (current !== null && (this.fd === null || current !== this.ino)) {
      if (this.partial) lines.push(this.partial);
      this.partial = '';
      this.close();
      this.open(0);
      lines.push(...this.drain());
    }
    return lines;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
