// Where the logger writes: JSON lines to a file, readable lines on stderr. No logging framework: a
// line is formatted and written synchronously, which is all tripod's tiers need (winston cost each
// tier ~10 MiB of RSS and ~30 ms of import for the same two outputs). Loaded on demand by logger.ts.
import { SafeFileTransport } from './file-transport.js';
import { journalPrefix, stderrIsJournal } from './journal.js';
import type { Level, LogOptions } from './logger.js';

/** Where the logger writes once its sink is loaded. */
export interface Sink {
  write(level: Level, event: string, meta: Record<string, unknown>): void;
  setLevel(level: Level): void;
  reopen(): void;
  close(): Promise<void>;
}

/** The readable stderr line: `HH:MM:SS.mmm tier[pid] level event key=value …`, with the journal's priority prefix under systemd. */
export function consoleLine(entry: Record<string, unknown>, toJournal: boolean): string {
  const { level, message, timestamp, tier, pid, ...rest } = entry;
  const extra = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : safeJson(value)}`)
    .join(' ');
  const time = typeof timestamp === 'string' ? timestamp.slice(11, 23) : '';
  const prefix = toJournal ? journalPrefix(level as Level) : '';
  return `${prefix}${time} ${String(tier)}[${String(pid)}] ${String(level)} ${String(message)}${extra ? ' ' + extra : ''}`;
}

/** JSON.stringify that never throws: a cycle becomes "[Circular]", a bigint its decimal text. */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    }) ?? 'undefined';
  }
}

/** One entry as the file's JSON line and the console's fields: the tier and PID, the fields, then level and event. */
export function entryOf(tier: string, level: Level, event: string, meta: Record<string, unknown>): Record<string, unknown> {
  return { tier, pid: process.pid, ...meta, level, message: event };
}

const writeStderr = (line: string) => {
  try {
    process.stderr.write(line);
  } catch {
    // stderr is gone: nothing left to tell
  }
};

/** A sink bound to a tier and this PID; every entry carries the time it was logged at. */
export function createSink(options: LogOptions): Sink {
  const toJournal = options.console && stderrIsJournal();
  const file = options.file ? new SafeFileTransport({ file: options.file, consoleToo: options.console }) : null;
  return {
    write(level, event, meta) {
      const entry = entryOf(options.tier, level, event, meta);
      if (options.console) writeStderr(`${consoleLine(entry, toJournal)}\n`);
      file?.writeLine(safeJson(entry));
    },
    // The logger filters by level before it calls the sink.
    setLevel: () => undefined,
    reopen() {
      file?.reopen();
    },
    close() {
      file?.close();
      return Promise.resolve();
    },
  };
}
