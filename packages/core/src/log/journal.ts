// Console lines under systemd: when stderr is the journal's stream, each line starts with its sd-daemon
// priority prefix (`<3>` error … `<7>` debug), so `journalctl -p warning` shows tripod's errors and warnings.
import { fstatSync } from 'node:fs';
import type { Level } from './logger.js';

/** sd-daemon(3) priorities (syslog levels) of tripod's log levels. */
const PRIORITY: Record<Level, number> = { error: 3, warn: 4, info: 6, debug: 7 };

/** The `<N>` prefix of a level. */
export function journalPrefix(level: Level): string {
  return `<${PRIORITY[level]}>`;
}

/** True when JOURNAL_STREAM (systemd's "DEVICE:INODE") names the file `fd` is open on. Pure over its inputs. */
export function isJournalStream(journalStream: string | undefined, stat: { dev: number; ino: number } | null): boolean {
  if (!journalStream || !stat) return false;
  const m = /^(\d+):(\d+)$/.exec(journalStream.trim());
  return m !== null && Number(m[1]) === stat.dev && Number(m[2]) === stat.ino;
}

/** Whether this process's stderr goes to the journal (systemd-journald(8), "JOURNAL_STREAM"). */
export function stderrIsJournal(env: NodeJS.ProcessEnv = process.env): boolean {
  let stat: { dev: number; ino: number } | null = null;
  try {
    stat = fstatSync(2);
  } catch {
    stat = null;
  }
  return isJournalStream(env.JOURNAL_STREAM, stat);
}
