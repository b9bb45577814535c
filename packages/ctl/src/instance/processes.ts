// Every process of an instance: the /proc scan by environment, plus an unmarked cop holding cop.lock
// (a cop started by systemd or by hand carries no TRIPOD_INSTANCE; the lock is what names it).
import { readStat, scanInstance, type InstanceProcess, type RuntimePaths } from '@tripod/core';
import { verifiedHolder } from './holders.js';

/** The instance's live processes (zombies left out: they are their parent's to reap). */
export function instanceProcesses(instance: string, paths: RuntimePaths): InstanceProcess[] {
  const procs = scanInstance(instance).filter((p) => p.state !== 'Z');
  const cop = verifiedHolder(paths, instance, 'cop');
  if (cop.kind === 'ours' && !cop.marked && !procs.some((p) => p.pid === cop.who.pid)) {
    const stat = readStat(cop.who.pid);
    if (stat) procs.push({ pid: stat.pid, starttime: stat.starttime, tier: 'cop', state: stat.state, pgrp: stat.pgrp, ppid: stat.ppid });
  }
  return procs;
}
