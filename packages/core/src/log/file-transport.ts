// The log file as a winston transport that can never take its tier down: opened without following
// links, owner-only (fs/own-file.ts), written synchronously so every failure is seen where it happens.
// Any failure (directory removed or replaced by a file, EACCES, ENOSPC, a failed reopen) switches to
// stderr, says so once, and the next reopen (SIGHUP) tries the file again.
import { closeSync, constants, mkdirSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import winston from 'winston';
import { systemErrorCode } from '../errors.js';
import { openOwnFile } from '../fs/own-file.js';

const MESSAGE = Symbol.for('message');
// winston's transport base class (winston-transport, which winston re-exports at run time).
const TransportBase = (winston as unknown as { Transport: typeof import('winston-transport') }).Transport;

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

/** A winston transport writing JSON lines to a file, falling back to stderr on any failure. */
export class SafeFileTransport extends TransportBase {
  private fd: number | null = null;
  private failure: string | null = null;
  private readonly fallback: FallbackWriter;

  constructor(private readonly options: SafeFileOptions) {
    super({ format: winston.format.json() });
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

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    const line = `${String(info[MESSAGE] ?? JSON.stringify(info))}\n`;
    if (this.fd !== null) {
      try {
        writeSync(this.fd, line);
      } catch (err) {
        this.fail(err);
        if (!this.options.consoleToo) this.fallback(line);
      }
    } else if (!this.options.consoleToo) this.fallback(line);
    callback();
  }

  /** Closes the file and opens it again (logrotate renamed it), or keeps to stderr if that fails. */
  reopen(): void {
    this.closeFd();
    const was = this.failure;
    this.failure = null; // a failed retry says so again, once
    this.open();
    if (was !== null && this.failure === null) this.fallback(`tripod[${process.pid}]: writing ${this.options.file} again\n`);
  }

  override close(): void {
    this.closeFd();
  }
}
