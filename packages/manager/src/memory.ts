// The memory limit: each serving server's RSS (from /proc) sampled; one that stays over the limit for
// the whole window is reported once, and the supervisor replaces it gracefully.
import { readFileSync } from 'node:fs';

export interface RssSample {
  readonly pid: number;
  /** Resident set size in bytes; null when the process is gone. */
  readonly rss: number | null;
}

/** Resident set size in bytes from the text of /proc/PID/status (its `VmRSS:` line, in kB), or null. */
export function parseVmRss(text: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

/** The RSS of `pid` in bytes, or null when it cannot be read. */
export function readRss(pid: number): number | null {
  try {
    return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

export interface MemoryJudgement {
  /** Since when each server has been over the limit without a break. */
  readonly overSince: ReadonlyMap<number, number>;
  /** Servers over the limit for the whole window: replace them. */
  readonly over: readonly { pid: number; rss: number }[];
}

/** Pure: which servers stayed over `limit` bytes for `windowMs`; a server reported is watched afresh. */
export function judgeMemory(samples: readonly RssSample[], overSince: ReadonlyMap<number, number>, limit: number, windowMs: number, now: number): MemoryJudgement {
  const next = new Map<number, number>();
  const over: { pid: number; rss: number }[] = [];
  for (const { pid, rss } of samples) {
    if (rss === null || rss <= limit) continue;
    const since = overSince.get(pid) ?? now;
    if (now - since >= windowMs) over.push({ pid, rss });
    else next.set(pid, since);
  }
  return { overSince: next, over };
}
