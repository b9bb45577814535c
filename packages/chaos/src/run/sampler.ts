// Looking at the instance from outside, without asking any tier: /proc/locks for the lock holders, the
// lock files, /proc/net/tcp for the listening socket, a /proc scan for the instance's processes.
import { readFileSync } from 'node:fs';
import {
  TIERS, findLockHolder, isInstanceTier, parseLockContent, readListenRows, readStat, tablesFor, scanInstance, type RuntimePaths, type Tier,
} from '@tripod/core';
import type { DecoyObservation, LockObservation, Phase, ProcessObservation, Sample } from '../analysis/sample.js';

export interface SamplerContext {
  readonly paths: RuntimePaths;
  readonly instance: string;
  readonly host: string;
  readonly port: number;
  /** The cop the harness started (its environment marks it; an attached one's may not). */
  isOurCop(pid: number): boolean;
  isHarnessProcess(pid: number): boolean;
  decoys(): DecoyObservation[];
}

function readLockPid(path: string): number | null {
  try {
    const content = parseLockContent(readFileSync(path, 'utf8'));
    return content.valid ? content.pid : null;
  } catch {
    return null;
  }
}

/** The lock holder of `tier` and what its file says. */
export function observeLock(ctx: SamplerContext, tier: Tier): LockObservation {
  const path = ctx.paths.lockFile(tier);
  const holder = findLockHolder(path);
  const filePid = readLockPid(path);
  const holderIsTier = holder !== null && (isInstanceTier(holder, ctx.instance, tier) || (tier === 'cop' && ctx.isOurCop(holder)));
  const fileNamesKept = holder !== null && filePid !== null && filePid !== holder
    && readStat(filePid)?.pgrp === holder && isInstanceTier(filePid, ctx.instance, tier);
  return { holder, filePid, holderIsTier, fileNamesKept };
}

/** True when a LISTEN row exists for the service port on its address (or a wildcard). */
export function isListening(host: string, port: number): boolean {
  const wildcard = host.includes(':') ? '::' : '0.0.0.0';
  // Only the tables the address can be in: another one, with no row past its listeners, is read to its end.
  return readListenRows(tablesFor([{ host, port }])).some((r) => r.port === port && (r.address === host || r.address === wildcard));
}

/** The instance's processes with their parents' states (the blocking /proc scan). */
export function observeProcesses(ctx: SamplerContext): ProcessObservation[] {
  const found = scanInstance(ctx.instance);
  const pids = new Set(found.map((p) => p.pid));
  return found.map((p) => ({
    pid: p.pid,
    starttime: p.starttime,
    tier: p.tier,
    state: p.state,
    ppid: p.ppid,
    parentState: readStat(p.ppid)?.state ?? null,
    parentIsInstance: pids.has(p.ppid),
    parentIsHarness: ctx.isHarnessProcess(p.ppid),
  }));
}

/** One sample; `scan` adds the /proc scan. */
export function takeSample(ctx: SamplerContext, phase: Phase, fault: number | null, scan: boolean): Sample {
  const locks = Object.fromEntries(TIERS.map((t) => [t, observeLock(ctx, t)])) as Record<Tier, LockObservation>;
  return {
    at: Date.now(),
    phase,
    fault,
    locks,
    listening: isListening(ctx.host, ctx.port),
    processes: scan ? observeProcesses(ctx) : null,
    decoys: ctx.decoys(),
  };
}
