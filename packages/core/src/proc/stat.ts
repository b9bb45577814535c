// /proc/PID/stat: parse after the last ')' because the command name may hold spaces and parentheses.

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  /** One letter: R running, S sleeping, D disk, Z zombie, T stopped, t traced, X dead, I idle. */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  readonly tty: number;
  /** Field 22: clock ticks since boot when the process started; with pid, its identity. */
  readonly starttime: number;
}

/** Parses the text of /proc/PID/stat; returns null when it is not a stat line. */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const field = (n: number): string | undefined => rest[n - 3];
  const state = field(3);
  const starttime = Number(field(22));
  if (!Number.isInteger(pid) || pid <= 0 || state === undefined || !Number.isFinite(starttime)) return null;
  return {
    pid,
    comm: text.slice(open + 1, close),
    state,
    ppid: Number(field(4)),
    pgrp: Number(field(5)),
    session: Number(field(6)),
    tty: Number(field(7)),
    starttime,
  };
}

/** True when the state letter means the process no longer runs code (zombie or dead). */
export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}
