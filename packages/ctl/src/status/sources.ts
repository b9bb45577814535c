// Everything `tripod status` looks at, gathered in one place so the report itself is a pure function.
import { accessSync, constants, statSync } from 'node:fs';
import {
  TIERS, describeProcess, hasProcfs, probeLock, queueDepths, readStat, scanInstance, systemErrorCode, withoutKept,
  type CopStatus, type InstanceProcess, type ListenerStatus, type Tier,
} from '@tripod/core';
import { instanceOf, knownListeners, type Ctl } from '../context.js';
import { heartbeat, type Heartbeat } from '../instance/heartbeat.js';
import { isOurs } from '../instance/holders.js';
import { managerView, readCopStatus, readManagerStatus, type ManagerView } from '../instance/manager-status.js';
import { bootTimeMs, procInfo, type ProcInfo } from '../instance/proc-time.js';

export interface LockState {
  readonly holder: number | null;
  /** True when the holder's environment marks it as this tier of this instance; null when nobody holds it. */
  readonly ours: boolean | null;
  /** The PID the file names when nobody holds the lock (killed, not stopped), else null. */
  readonly stalePid: number | null;
  /** The holder for people: `PID 123 (its command line)`, or null when nobody holds it. */
  readonly holderDescription?: string | null;
  /** Exec mode: the program the holder (a keeper) keeps, named in the file; null otherwise. */
  readonly keptPid?: number | null;
}

export interface StatusSources {
  readonly now: number;
  readonly runtimeDir: string;
  readonly dir: 'ok' | 'missing' | 'unreadable';
  readonly dirError: string | null;
  readonly procfs: boolean;
  readonly instance: string | null;
  readonly locks: Readonly<Record<Tier, LockState>>;
  /** /proc facts about every PID the report mentions. */
  readonly procs: Readonly<Record<number, ProcInfo>>;
  readonly manager: ManagerView;
  readonly cop: CopStatus | null;
  readonly server: Heartbeat | null;
  readonly listeners: readonly ListenerStatus[];
  /** Processes of the instance that hold no lock. */
  readonly lockless: readonly InstanceProcess[];
}

const HEARTBEAT_TIMEOUT_MS = 1500;

function dirState(dir: string): { dir: StatusSources['dir']; dirError: string | null } {
  try {
    if (!statSync(dir).isDirectory()) return { dir: 'unreadable', dirError: `${dir} is not a directory` };
    accessSync(dir, constants.R_OK | constants.X_OK);
    return { dir: 'ok', dirError: null };
  } catch (err) {
    const code = systemErrorCode(err);
    if (code === 'ENOENT') return { dir: 'missing', dirError: `${dir} does not exist` };
    return { dir: 'unreadable', dirError: `${dir}: ${code ?? String(err)}` };
  }
}

async function lockState(ctl: Ctl, instance: string | null, tier: Tier): Promise<LockState> {
  const probe = await probeLock(ctl.paths.lockFile(tier));
  const holder = probe.holder !== null && probe.holder > 0 ? probe.holder : null;
  if (holder !== null) {
    const named = probe.content?.valid ? probe.content.pid : null;
    const keptPid = named !== null && named !== holder && readStat(named)?.pgrp === holder ? named : null;
    return { holder, ours: instance !== null && isOurs(holder, instance, tier).ours, stalePid: null, holderDescription: describeProcess(holder), keptPid };
  }
  return { holder: null, ours: null, stalePid: probe.content?.valid ? probe.content.pid : null };
}

/** Looks at the lock files, /proc, the manager (control socket, else status.json), cop-status.json and the heartbeat. */
export async function gatherStatus(ctl: Ctl): Promise<StatusSources> {
  const now = Date.now();
  const runtimeDir = ctl.config.runtimeDir;
  const { dir, dirError } = dirState(runtimeDir);
  const procfs = hasProcfs();
  const instance = dir === 'ok' ? instanceOf(ctl) : null;
  const empty: LockState = { holder: null, ours: null, stalePid: null };
  const locks = { cop: empty, manager: empty, server: empty };
  if (dir === 'ok') for (const tier of TIERS) locks[tier] = await lockState(ctl, instance, tier);
  const manager: ManagerView = locks.manager.holder !== null
    ? await managerView(ctl.paths)
    : { status: readManagerStatus(ctl.paths), live: false, error: 'manager.lock is not held', ms: null };
  const fileStatus = manager.status;
  const listeners = knownListeners(ctl, fileStatus);
  const server = locks.server.holder !== null && listeners[0] ? await heartbeat(listeners[0], HEARTBEAT_TIMEOUT_MS, runtimeDir, locks.server.holder) : null;
  const depths = manager.live && fileStatus ? fileStatus.listeners : queueDepths(listeners, fileStatus?.backlog ?? ctl.config.backlog);
  const boot = bootTimeMs();
  const pids = new Set<number>();
  for (const tier of TIERS) if (locks[tier].holder !== null) pids.add(locks[tier].holder!);
  for (const s of fileStatus?.servers ?? []) if (s.pid !== null) pids.add(s.pid);
  const procs: Record<number, ProcInfo> = {};
  for (const pid of pids) {
    const info = procInfo(pid, boot);
    if (info) procs[pid] = info;
  }
  const held = new Set(TIERS.map((t) => locks[t].holder));
  const lockless = instance !== null && procfs ? withoutKept(scanInstance(instance)).filter((p) => !held.has(p.pid) && p.state !== 'Z') : [];
  return {
    now, runtimeDir, dir, dirError, procfs, instance, locks, procs, manager, cop: dir === 'ok' ? readCopStatus(ctl.paths) : null, server,
    listeners: TIERS.some((t) => locks[t].holder !== null) ? depths.map((d) => ({ ...d })) : [], lockless,
  };
}
