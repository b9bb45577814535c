// Thin readers over /proc; every one returns null when the process is gone or unreadable.
import { closeSync, openSync, read, readFileSync, readSync, readdirSync } from 'node:fs';
import { parseStat, type ProcStat } from './stat.js';
import { parseEnviron } from './environ.js';
import { parseProcLocks, type LockEntry } from './locks.js';
import { parseListenRows, pastListenRows, type ListenRow } from './net-tcp.js';

export const PROC_ROOT = '/proc';

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The parsed /proc/PID/stat of a process, or null when it does not exist. */
export function readStat(pid: number): ProcStat | null {
  const text = readOrNull(`${PROC_ROOT}/${pid}/stat`);
  return text === null ? null : parseStat(text);
}

/** The environment of a process (same uid or root only), or null. */
export function readEnviron(pid: number): Map<string, string> | null {
  const text = readOrNull(`${PROC_ROOT}/${pid}/environ`);
  return text === null ? null : parseEnviron(text);
}

/** Every PID listed in /proc right now. */
export function listPids(): number[] {
  try {
    return readdirSync(PROC_ROOT)
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/** The entries of /proc/locks, or null when the file is missing (no procfs). */
export function readProcLocks(): LockEntry[] | null {
  const text = readOrNull(`${PROC_ROOT}/locks`);
  return text === null ? null : parseProcLocks(text);
}

const PROC_CHUNK = 64 * 1024;

/** `text`, then what `fd` holds from byte `at` on, read a chunk at a time until its end or until `enough(text)`. */
function readOn(fd: number, chunk: Buffer, text: string, at: number, enough: (text: string) => boolean = () => false): string {
  while (!enough(text)) {
    const n = readSync(fd, chunk, 0, chunk.length, at);
    if (n === 0) break;
    text += chunk.toString('latin1', 0, n);
    at += n;
  }
  return text;
}

/**
 * readProcLocks whose first read runs on libuv's thread pool. The kernel freezes every lock list to
 * print /proc/locks (a per-CPU semaphore taken for writing), and the first read after a quiet while
 * waits for an RCU grace period: measured 15-22 ms for the first read, 0.05 ms for the next. Anything
 * that serves requests reads it this way, so its event loop does not wait with it. One trip to the
 * thread pool, not readFile's open-stat-read-close: an overloaded server's event loop comes round
 * seldom, and its lock must be taken before the cop counts it free twice.
 */
export function readProcLocksAsync(): Promise<LockEntry[] | null> {
  let fd: number;
  try {
    fd = openSync(`${PROC_ROOT}/locks`, 'r');
  } catch {
    return Promise.resolve(null);
  }
  const chunk = Buffer.allocUnsafe(PROC_CHUNK);
  return new Promise((resolve) => {
    read(fd, chunk, 0, PROC_CHUNK, 0, (err, first) => {
      try {
        if (err) return resolve(null);
        // The rest, if any, right after: the grace period is paid, the next reads are fast.
        resolve(parseProcLocks(first === 0 ? '' : readOn(fd, chunk, chunk.toString('latin1', 0, first), first)));
      } catch {
        resolve(null);
      } finally {
        closeSync(fd);
      }
    });
  });
}

/** The complete rows of /proc/net/tcp{,6} up to just past its LISTEN rows (pastListenRows), or null when unreadable. */
function readListenPrefix(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const text = readOn(fd, Buffer.allocUnsafe(PROC_CHUNK), '', 0, pastListenRows);
    return text.slice(0, text.lastIndexOf('\n') + 1);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

export type TcpTable = 'tcp' | 'tcp6';

/**
 * The LISTEN rows of /proc/net/tcp and /proc/net/tcp6 (or of `tables` only), each read only as far as
 * its listeners go. A table with no row past its listeners (tcp6 on a host of IPv4 connections) is read
 * to its end, and the kernel walks every socket of the host to find none: ask only for the tables of
 * the addresses you look for.
 */
export function readListenRows(tables: readonly TcpTable[] = ['tcp', 'tcp6']): ListenRow[] {
  return tables.flatMap((table) => {
    const text = readListenPrefix(`${PROC_ROOT}/net/${table}`);
    return text === null ? [] : parseListenRows(text);
  });
}

/**
 * The LISTEN rows of both tables, each read whole: for the checks whose answer must not rest on the
 * kernel's order of rows (is this port taken, by whom), which run once, at start or on an error.
 */
export function readAllListenRows(): ListenRow[] {
  return [`${PROC_ROOT}/net/tcp`, `${PROC_ROOT}/net/tcp6`].flatMap((path) => {
    const text = readOrNull(path);
    return text === null ? [] : parseListenRows(text);
  });
}

/** True when /proc looks like a Linux procfs this process can use. */
export function hasProcfs(): boolean {
  return readOrNull(`${PROC_ROOT}/self/stat`) !== null;
}

/** The command line of a process as one line (at most 120 characters), or null when it is gone. */
export function readCommand(pid: number): string | null {
  const text = readOrNull(`${PROC_ROOT}/${pid}/cmdline`);
  if (text === null) return null;
  const line = text.split('\0').filter(Boolean).join(' ');
  return (line || `[${readStat(pid)?.comm ?? '?'}]`).slice(0, 120);
}

/** "PID 123 (sleep 1000)": a process named for people, as far as /proc lets us see it. */
export function describeProcess(pid: number): string {
  const command = readCommand(pid);
  return command === null ? `PID ${pid}` : `PID ${pid} (${command})`;
}
