// The log file, written so it can never take its tier down: opened without following
// links, owner-only (fs/own-file.ts), written synchronously so every failure is seen where it happens.
// Any failure (directory removed or replaced by a file, EACCES, ENOSPC, a failed reopen) switches to
// stderr, says so once, and the next reopen (SIGHUP) tries the file again.
import { closeSync, constants, mkdirSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemErrorCode } from '../errors.js';
import { openOwnFile } from '../fs/own-file.js';


/** Where a failure notice and the fallback lines go (stderr; a test passes its own). */
export type FallbackWriter = (line: string) => void;

const writeStderr: FallbackWriter = (line) => {
  try {
    process.stderr.write(line);
  } catch {
    // stderr itself is gone: nothing left to tell
  }
};

export interface SafeFileOptions {
  readonly file: string;
  /** True when another transport already writes every line to stderr: the fallback adds only the notice. */
  readonly consoleToo: boolean;
  readonly fallback?: FallbackWriter;
}

/** Writes JSON lines to a file, falling back to stderr on any failure. */
export class SafeFileTransport {
  private fd: number | null = null;
  private failure: string | null = null;
  private readonly fallback: FallbackWriter;

  constructor(private readonly options: SafeFileOptions) {
    this.fallback = options.fallback ?? writeStderr;
    this.open();
  }

  /** Why the file is not being written right now, or null when it is. */
  get failedBecause(): string | null {
    return this.failure;
  }

  private open(): void {
    try {
      mkdirSync(dirname(this.options.file), { recursive: true, mode: 0o700 });
      this.fd = openOwnFile(this.options.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    this.closeFd();
    const why = systemErrorCode(err) ?? (err instanceof Error ? err.message : String(err));
    if (this.failure === null) {
      this.fallback(`tripod[${process.pid}]: cannot write log file ${this.options.file} (${why}); logging to stderr until the next SIGHUP\n`);
    }
    this.failure = why;
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already unusable
    }
    this.fd = null;
  }

  /** Writes one line (a newline is added). */
  writeLine(text: string): void {
    const line = `${text}\n`;
    if (this.fd !== null) {
      try {
        writeSync(this.fd, line);
      } catch (err) {
        this.fail(err);
        if (!this.options.consoleToo) this.fallback(line);
      }
    } else if (!this.options.consoleToo) this.fallback(line);
  }

  /** Closes the file and opens it again (logrotate renamed it), or keeps to stderr if that fails. */
  reopen(): void {
    this.closeFd();
    const was = this.failure;
    this.failure = null; // a failed retry says so again, once
    this.open();
    if (was !== null && this.failure === null) this.fallback(`tripod[${process.pid}]: writing ${this.options.file} again\n`);
  }

  close(): void {
    this.closeFd();
  }
}
