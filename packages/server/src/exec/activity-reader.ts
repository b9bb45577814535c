// Reading the program's activity from /proc (I/O around activity.ts): its process tree, and for each
// process its state, CPU ticks, read/write call counts (/proc/PID/io) and open-file table
// (/proc/PID/fd). /proc/PID/io and fd are readable by the same user (or root) while the program is
// dumpable, which it is when the keeper started it as its own user (with --user too: the keeper and the
// program are then both the service user); a program that makes itself undumpable shows no evidence.
import { readlinkSync } from 'node:fs';
import { parseStat } from '@tripod/core/proc/stat';
import { PROC_TREE, processTree, type TreeReader } from '@tripod/core/proc/tree';
import type { ActivitySample, ProcessActivity } from './activity.js';

/** The three ways the sampler reads /proc (the tree walk's two, and links): behind this, tests use a fake tree. */
export interface ProcFiles extends TreeReader {
  link(path: string): string | null;
}

export const PROC_FILES: ProcFiles = {
  ...PROC_TREE,
  link(path) {
    try {
      return readlinkSync(path);
    } catch {
      return null;
    }
  },
};

/** Open files fingerprinted per process at most. */
const MAX_FILES = 4096;

/** syscr + syscw of a /proc/PID/io text, or null when they are not both there. */
export function parseIoCalls(text: string): number | null {
  const r = /^syscr:\s*(\d+)$/m.exec(text);
  const w = /^syscw:\s*(\d+)$/m.exec(text);
  return r && w ? Number(r[1]) + Number(w[1]) : null;
}

/** utime + stime (fields 14 and 15) of a /proc/PID/stat text, or 0. */
export function parseCpuTicks(statText: string): number {
  const fields = statText.slice(statText.lastIndexOf(')') + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state): field N is fields[N - 3].
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks : 0;
}

/** The open-file table of a process as one comparable string, or null when it cannot be read. */
function readFiles(pid: number, proc: ProcFiles): string | null {
  const fds = proc.list(`/proc/${pid}/fd`);
  if (fds === null) return null;
  return fds.slice(0, MAX_FILES).map((fd) => `${fd}=${proc.link(`/proc/${pid}/fd/${fd}`) ?? '?'}`).join(' ');
}

/** One process as it is now, or null when it is gone. */
function readProcess(pid: number, proc: ProcFiles): ProcessActivity | null {
  const text = proc.read(`/proc/${pid}/stat`);
  const stat = text === null ? null : parseStat(text);
  if (text === null || stat === null) return null;
  const io = proc.read(`/proc/${pid}/io`);
  return { pid, starttime: stat.starttime, state: stat.state, cpuTicks: parseCpuTicks(text), ioCalls: io === null ? null : parseIoCalls(io), files: readFiles(pid, proc) };
}

/** One look at the program's tree. */
export function sampleActivity(root: number, now: number, proc: ProcFiles = PROC_FILES): ActivitySample {
  const processes: ProcessActivity[] = [];
  for (const pid of processTree(root, proc)) {
    const p = readProcess(pid, proc);
    if (p !== null) processes.push(p);
  }
  return { at: now, processes };
}
