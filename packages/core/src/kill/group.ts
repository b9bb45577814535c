// Signalling a server's process group only when it is verified to be ours. While its leader is not yet
// reaped, the group id cannot name anyone else's group. Once the leader is reaped, the id may be
// reused: then each member is verified (in that group, started no earlier than the leader, not a new
// group's live leader) and signalled by its own PID, never by the group id.
import { isDeadState } from '../proc/stat.js';
import { listPids, readStat } from '../proc/read.js';
import { sendSignal } from './signal.js';

export interface GroupProc {
  readonly pid: number;
  readonly pgrp: number;
  readonly starttime: number;
  readonly state: string;
}

/** Members of group `pgid` left behind by its reaped leader (started at `leaderStart`); none when the id now names another group. */
export function reapedGroupMembers(pgid: number, leaderStart: number, procs: readonly GroupProc[]): number[] {
  const members = procs.filter((p) => p.pgrp === pgid && !isDeadState(p.state));
  if (members.some((p) => p.pid === pgid)) return []; // a live process leads a group of that id: not ours any more
  return members.filter((p) => p.starttime >= leaderStart).map((p) => p.pid);
}

function groupProcs(): GroupProc[] {
  return listPids().flatMap((pid) => {
    const stat = readStat(pid);
    return stat === null ? [] : [{ pid, pgrp: stat.pgrp, starttime: stat.starttime, state: stat.state }];
  });
}

/**
 * Signals the process group a server led. `leaderUnreaped`: the caller knows its leader is not reaped yet
 * (a child whose exit it has not seen), so the group id is certainly ours. Returns the PIDs signalled
 * (the negative group id when the group was signalled as a whole).
 */
export function signalServerGroup(pgid: number, leaderStart: number | null, leaderUnreaped: boolean, signal: NodeJS.Signals, procs: () => readonly GroupProc[] = groupProcs): number[] {
  if (leaderUnreaped) return sendSignal(-pgid, signal) ? [-pgid] : [];
  if (leaderStart === null) return [];
  return reapedGroupMembers(pgid, leaderStart, procs()).filter((pid) => sendSignal(pid, signal));
}
