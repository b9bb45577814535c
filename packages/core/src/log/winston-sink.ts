// The winston side of the logger: JSON lines to a file, readable lines on stderr. Loaded on demand,
// because importing winston costs ~100 ms of start-up that a restarting server must not pay.
import winston from 'winston';
import { SafeFileTransport } from './file-transport.js';
import { journalPrefix, stderrIsJournal } from './journal.js';
import { LEVELS, type Level, type LogOptions } from './logger.js';

/** Where the logger writes once winston is loaded. */
export interface Sink {
  write(level: Level, event: string, meta: Record<string, unknown>): void;
  setLevel(level: Level): void;
  reopen(): void;
  close(): Promise<void>;
}

/** Readable console lines; under systemd each starts with its journal priority (`<3>` error …). */
function consoleFormat(toJournal: boolean): winston.Logform.Format {
  return winston.format.printf((info) => consoleLine(info as Record<string, unknown>, toJournal));
}

function consoleLine(info: Record<string, unknown>, toJournal: boolean): string {
  const { level, message, timestamp, tier, pid, ...rest } = info;
  const extra = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const time = typeof timestamp === 'string' ? timestamp.slice(11, 23) : '';
  const prefix = toJournal ? journalPrefix(level as Level) : '';
  return `${prefix}${time} ${String(tier)}[${String(pid)}] ${String(level)} ${String(message)}${extra ? ' ' + extra : ''}`;
}


/** A winston logger bound to a tier and this PID; every entry carries the time it was logged at. */
export function createWinstonSink(options: LogOptions): Sink {
  const transports: winston.transport[] = [];
  if (options.console) transports.push(new winston.transports.Console({ stderrLevels: [...LEVELS], format: consoleFormat(stderrIsJournal()) }));
  const file = options.file ? new SafeFileTransport({ file: options.file, consoleToo: options.console }) : null;
  if (file) transports.push(file);
  const logger = winston.createLogger({ level: options.level, defaultMeta: { tier: options.tier, pid: process.pid }, transports, exitOnError: false });
  // A transport's failure must never become an uncaught 'error' (the file transport reports its own).
  logger.on('error', () => undefined);
  for (const t of transports) t.on('error', () => undefined);
  return {
    write: (level, event, meta) => logger.log(level, event, meta),
    setLevel: (level) => {
      logger.level = level;
    },
    reopen() {
      file?.reopen();
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
