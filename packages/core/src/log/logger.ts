// One logger factory for every tier: JSON lines to `<logDir>/<tier>.log`, readable lines on stderr.
// Messages are stable event keys (`server.spawn`, `heartbeat.fail`, …) with fields beside them.
import { mkdirSync } from 'node:fs';
import winston from 'winston';

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
  /** Flushes and closes the file; resolves when everything written so far is on disk. */
  close(): Promise<void>;
}

export interface LogOptions {
  readonly tier: string;
  readonly file: string | null;
  readonly level: Level;
  readonly console: boolean;
}

const consoleFormat = winston.format.printf((info) => {
  const { level, message, timestamp, tier, pid, ...rest } = info as Record<string, unknown>;
  const extra = Object.entries(rest)
    .filter(([key]) => typeof key === 'string')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${String(timestamp)} ${String(tier)}[${String(pid)}] ${String(level)} ${String(message)}${extra ? ' ' + extra : ''}`;
});

function fileTransport(file: string): winston.transport {
  return new winston.transports.File({ filename: file, format: winston.format.combine(winston.format.timestamp(), winston.format.json()) });
}

/** A logger bound to a tier and this PID. */
export function createLog(options: LogOptions): Log {
  const transports: winston.transport[] = [];
  if (options.console) {
    transports.push(
      new winston.transports.Console({
        stderrLevels: [...LEVELS],
        format: winston.format.combine(winston.format.timestamp({ format: 'HH:mm:ss.SSS' }), consoleFormat),
      }),
    );
  }
  let file: winston.transport | null = null;
  if (options.file) {
    mkdirSync(options.file.slice(0, options.file.lastIndexOf('/')) || '.', { recursive: true });
    file = fileTransport(options.file);
    transports.push(file);
  }
  const logger = winston.createLogger({
    level: options.level,
    defaultMeta: { tier: options.tier, pid: process.pid },
    transports,
    exitOnError: false,
  });
  // `pid` and `tier` always name the process that logs; fields of those names (the process an event
  // is about) become `target` and `targetTier`.
  const write = (level: Level) => (event: string, fields: Record<string, unknown> = {}) => {
    const { pid, tier, ...rest } = fields;
    logger.log(level, event, { ...(pid === undefined ? {} : { target: pid }), ...(tier === undefined ? {} : { targetTier: tier }), ...rest });
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    setLevel(level) {
      logger.level = level;
    },
    reopen() {
      if (!options.file || !file) return;
      logger.remove(file);
      file.close?.();
      file = fileTransport(options.file);
      logger.add(file);
    },
    close() {
      return new Promise((resolve) => {
        if (!file) return resolve();
        file.once('finish', () => resolve());
        logger.end();
        setTimeout(resolve, 1000).unref();
      });
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
  close: () => Promise.resolve(),
};
