// One logger factory for every tier: JSON lines to `<logDir>/<tier>.log`, readable lines on stderr.
// Messages are stable event keys (`server.spawn`, `heartbeat.fail`, …) with fields beside them.
// Entries logged before winston has loaded are queued with their time and written in order.
import type { Sink } from './winston-sink.js';

export type Level = 'error' | 'warn' | 'info' | 'debug';
export const LEVELS: readonly Level[] = ['error', 'warn', 'info', 'debug'];

export interface Log {
  error(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
  /** Closes and reopens the log file (after logrotate renamed it). */
  reopen(): void;
  setLevel(level: Level): void;
  /** Loads winston now if it is not loaded yet (a lazy logger waits for this or for close). */
  activate(): Promise<void>;
  /** Flushes and closes the file; resolves when everything written so far is on disk. */
  close(): Promise<void>;
}

export interface LogOptions {
  readonly tier: string;
  readonly file: string | null;
  readonly level: Level;
  readonly console: boolean;
  /** Queue entries and load winston only at activate() (the server, so start-up does not pay for it). */
  readonly lazy?: boolean;
}

let stdioGuarded = false;

/** A closed or broken stderr/stdout (EPIPE) must not crash a tier through an unhandled 'error' event. */
function guardStdio(): void {
  if (stdioGuarded) return;
  stdioGuarded = true;
  process.stderr.on('error', () => undefined);
  process.stdout.on('error', () => undefined);
}

/** A logger bound to a tier and this PID. */
export function createLog(options: LogOptions): Log {
  guardStdio();
  let sink: Sink | null = null;
  let loading: Promise<void> | null = null;
  let level = options.level;
  const queue: [Level, string, Record<string, unknown>][] = [];

  const activate = () => {
    loading ??= import('./winston-sink.js').then(({ createWinstonSink }) => {
      sink = createWinstonSink({ ...options, level });
      for (const [l, event, meta] of queue.splice(0)) sink.write(l, event, meta);
    });
    return loading;
  };
  // `pid` and `tier` always name the process that logs; fields of those names (the process an event
  // is about) become `target` and `targetTier`.
  const write = (l: Level) => (event: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS.indexOf(l) > LEVELS.indexOf(level)) return;
    const { pid, tier, ...rest } = fields;
    const meta = { timestamp: new Date().toISOString(), ...(pid === undefined ? {} : { target: pid }), ...(tier === undefined ? {} : { targetTier: tier }), ...rest };
    if (sink) sink.write(l, event, meta);
    else queue.push([l, event, meta]);
  };
  if (!options.lazy) void activate();
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    activate,
    setLevel(next) {
      level = next;
      sink?.setLevel(next);
    },
    reopen: () => sink?.reopen(),
    async close() {
      await activate();
      await sink?.close();
    },
  };
}

/** A logger that drops everything (unit tests). */
export const SILENT_LOG: Log = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  reopen() {},
  setLevel() {},
  activate: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
