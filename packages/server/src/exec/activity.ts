// Evidence of progress from /proc, with no cooperation from the program: between two looks at its
// processes, did any of them make system calls? Pure: two samples in, a verdict out (the reading is
// activity-reader.ts). A busy program whose every worker is in a request shows it (it reads, writes,
// accepts and closes connections) while its accept queue keeps the proof probe waiting; a spinning one
// (no system calls), a stopped one (state T) and a deadlocked one (asleep, nothing moves) do not.
// What this can and cannot tell: docs/exec.md, "Busy is not hung".

/** One process of the program's tree at one look. */
export interface ProcessActivity {
  readonly pid: number;
  /** With pid, the process's identity (field 22 of /proc/PID/stat): a reused PID is another process. */
  readonly starttime: number;
  /** The state letter of /proc/PID/stat. */
  readonly state: string;
  /** utime + stime in clock ticks (the verdict's explanation only: CPU alone does not tell busy from spinning). */
  readonly cpuTicks: number;
  /** syscr + syscw of /proc/PID/io (read/write-family calls of all its threads); null when unreadable. */
  readonly ioCalls: number | null;
  /** The open-file table, fd by fd with what each names (socket:[inode], a path, …); null when unreadable. */
  readonly files: string | null;
}

/** One look at the whole tree (the program and its descendants). */
export interface ActivitySample {
  readonly at: number;
  readonly processes: readonly ProcessActivity[];
}

/** What moved: read/write calls counted, the open-file table changed (accept, close, open), or a new process (fork). */
export type ActivityEvidence = 'syscalls' | 'files' | 'spawned';

export type ActivityVerdict =
  | { readonly progress: true; readonly evidence: ActivityEvidence; readonly pid: number }
  | { readonly progress: false; readonly why: string };

/** A process that runs no code until it is continued (stopped, traced), or no longer runs at all. */
function isHalted(state: string): boolean {
  return state === 'T' || state === 't' || state === 'Z' || state === 'X' || state === 'x';
}

const key = (p: ProcessActivity) => `${p.pid}:${p.starttime}`;

/**
 * Whether the program made progress between two looks: some process of it that is not stopped made
 * read/write calls, changed its open-file table, or is new (forked since). A stopped process shows
 * nothing, whatever its counters did before it stopped.
 */
export function judgeActivity(previous: ActivitySample, next: ActivitySample): ActivityVerdict {
  const before = new Map(previous.processes.map((p) => [key(p), p]));
  for (const p of next.processes) {
    if (isHalted(p.state)) continue;
    const was = before.get(key(p));
    if (was === undefined) return { progress: true, evidence: 'spawned', pid: p.pid };
    if (p.ioCalls !== null && was.ioCalls !== null && p.ioCalls > was.ioCalls) return { progress: true, evidence: 'syscalls', pid: p.pid };
    if (p.files !== null && was.files !== null && p.files !== was.files) return { progress: true, evidence: 'files', pid: p.pid };
  }
  return { progress: false, why: describeStill(previous, next) };
}

/** Why nothing moved, for the log: stopped, running without system calls (spinning), or asleep (idle or blocked). */
function describeStill(previous: ActivitySample, next: ActivitySample): string {
  const live = next.processes.filter((p) => !isHalted(p.state));
  if (next.processes.length === 0) return 'no process left';
  if (live.length === 0) return 'every process stopped';
  const before = new Map(previous.processes.map((p) => [key(p), p]));
  const burning = live.filter((p) => p.cpuTicks > (before.get(key(p))?.cpuTicks ?? p.cpuTicks)).map((p) => p.pid);
  const blind = live.every((p) => p.ioCalls === null && p.files === null);
  if (blind) return '/proc/PID/io and fd unreadable: no evidence';
  if (burning.length > 0) return `using CPU without system calls (PID ${burning.join(', ')}: spinning, or a long CPU-bound request)`;
  return 'asleep, no system calls (idle, or blocked)';
}
