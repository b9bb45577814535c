// When a process started, in wall-clock ms: /proc/PID/stat starttime (clock ticks since boot) + btime.
import { readFileSync } from 'node:fs';
import { readStat } from '@tripod/core';

/** USER_HZ: the unit of /proc/PID/stat times, 100 on every Linux ABI. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Boot time in ms since the epoch (btime in /proc/stat), or null. */
export function bootTimeMs(statText?: string): number | null {
  let text = statText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/stat', 'utf8');
    } catch {
      return null;
    }
  }
  const match = /^btime\s+(\d+)$/m.exec(text);
  return match ? Number(match[1]) * 1000 : null;
}

/** Wall-clock ms at which a process with this starttime started. */
export function startedAtMs(starttime: number, bootMs: number): number {
  return bootMs + Math.round((starttime * 1000) / CLOCK_TICKS_PER_SECOND);
}

export interface ProcInfo {
  readonly pid: number;
  /** The state letter (R, S, D, T, Z, …). */
  readonly state: string;
  readonly startedAt: number | null;
}

/** State and start time of a live process, or null when it is gone. */
export function procInfo(pid: number, bootMs: number | null = bootTimeMs()): ProcInfo | null {
  const stat = readStat(pid);
  if (stat === null) return null;
  return { pid, state: stat.state, startedAt: bootMs === null ? null : startedAtMs(stat.starttime, bootMs) };
}
