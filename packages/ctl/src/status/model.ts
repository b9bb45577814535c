// The status report, a pure function of what was gathered: one row per process, the health of the
// instance and the LSB exit code that goes with it.
import { TIERS, listenerText, type ManagerStatus, type ServerExit, type ServerStatus, type Tier } from '@tripod/core';
import { STATUS_EXIT } from '../exit-codes.js';
import type { StatusSources } from './sources.js';

export type Health = 'running' | 'degraded' | 'unsupervised' | 'dead' | 'not-running' | 'unknown';

export const HEALTH_EXIT: Readonly<Record<Health, number>> = {
  running: STATUS_EXIT.RUNNING,
  degraded: STATUS_EXIT.DEGRADED,
  unsupervised: STATUS_EXIT.UNSUPERVISED,
  dead: STATUS_EXIT.DEAD_LOCK_FILE,
  'not-running': STATUS_EXIT.NOT_RUNNING,
  unknown: STATUS_EXIT.UNKNOWN,
};

export interface TierRow {
  readonly tier: Tier;
  readonly pid: number | null;
  /** running, serving, draining, starting, not-answering, stopped (SIGSTOP), backoff, given-up, down, … */
  readonly state: string;
  readonly uptimeSeconds: number | null;
  readonly restarts: number | null;
  readonly lastExit: string | null;
  readonly heartbeatMs: number | null;
  /** Where the heartbeat figure comes from: measured now, or the cop's last one. */
  readonly heartbeatFrom: 'now' | 'cop' | null;
  readonly backoff: string | null;
}

export interface StatusReport {
  readonly runtimeDir: string;
  readonly instance: string | null;
  readonly health: Health;
  readonly exitCode: number;
  /** Why the health is not `running`. */
  readonly reasons: readonly string[];
  /** Where the figures come from: the manager's answer, or files and /proc. */
  readonly source: 'control' | 'files';
  readonly notes: readonly string[];
  readonly rows: readonly TierRow[];
  readonly listeners: readonly ListenerRow[];
  readonly load: ServerLoad | null;
  /** A pool: the cop's verdict on each slot's server (empty for a single server, or an older cop). */
  readonly slotLoads?: readonly SlotLoad[];
}

export interface SlotLoad extends ServerLoad {
  readonly slot: number;
}

/** A listener as the report shows it: "host:port", its queue and its limit. */
export interface ListenerRow {
  readonly listener: string;
  readonly queued: number | null;
  readonly backlog: number;
}

/** The cop's last judgement of the serving server: progress, overload (lag, in flight), stall. */
export interface ServerLoad {
  readonly pid: number;
  readonly verdict: string;
  readonly progressAgeMs: number | null;
  readonly lagMs: number | null;
  readonly inflight: number | null;
  readonly oldestInflightMs: number | null;
}

function serverLoad(s: StatusSources): ServerLoad | null {
  const view = s.cop?.server;
  const holder = s.locks.server.holder;
  if (!view || holder === null || view.pid !== holder || s.locks.cop.holder === null) return null;
  const l = view.liveness;
  return { pid: holder, verdict: view.verdict, progressAgeMs: l?.progressAgeMs ?? null, lagMs: l?.lagMs ?? null, inflight: l?.inflight ?? null, oldestInflightMs: l?.oldestInflightMs ?? null };
}

/** The cop's verdicts on a pool's slots, when it has more than one (a single server's is `load`). */
function slotLoads(s: StatusSources): SlotLoad[] {
  const views = s.cop?.slots ?? [];
  if (views.length < 2 || s.locks.cop.holder === null) return [];
  return views.map((v) => {
    const l = v.liveness;
    return { slot: v.slot, pid: v.pid, verdict: v.verdict, progressAgeMs: l?.progressAgeMs ?? null, lagMs: l?.lagMs ?? null, inflight: l?.inflight ?? null, oldestInflightMs: l?.oldestInflightMs ?? null };
  });
}

const secs = (ms: number): number => Math.round(ms / 100) / 10;

/** "SIGKILL 12s ago", "code 1 (requested) 3s ago". */
export function describeLastExit(exit: ServerExit, now: number): string {
  const how = exit.signal ? exit.signal : `code ${exit.code ?? '?'}`;
  return `${how}${exit.requested ? ' (requested)' : ''} ${secs(Math.max(0, now - exit.at))}s ago`;
}

function backoffOf(status: ManagerStatus | null, now: number): { text: string | null; active: 'backoff' | 'given-up' | null } {
  if (!status) return { text: null, active: null };
  if (status.stayDown) return { text: `gave up (${status.stayDown})`, active: 'given-up' };
  const crashes = status.consecutiveCrashes ?? 0;
  if (typeof status.backoffUntil === 'number' && status.backoffUntil > now) {
    return { text: `${secs(status.backoffUntil - now)}s left, ${crashes} crash${crashes === 1 ? '' : 'es'}`, active: 'backoff' };
  }
  return { text: crashes > 0 ? `${crashes} crash${crashes === 1 ? '' : 'es'}` : null, active: null };
}

function uptime(s: StatusSources, pid: number | null, fallback?: number): number | null {
  const started = (pid !== null ? s.procs[pid]?.startedAt : null) ?? fallback ?? null;
  return started === null ? null : secs(Math.max(0, s.now - started));
}

function processState(s: StatusSources, pid: number, running: string): string {
  const letter = s.procs[pid]?.state;
  if (letter === 'T' || letter === 't') return 'stopped (SIGSTOP)';
  if (letter === 'Z') return 'zombie';
  return running;
}

/** A pool's server is named by its slot in the state column ("serving slot 1"); a pool of one looks as it always did. */
function withSlot(state: string, server: ServerStatus | undefined, status: ManagerStatus | null): string {
  return (status?.size ?? 1) > 1 && server?.slot != null ? `${state} slot ${server.slot}` : state;
}

/** The restart record of the slot `server` serves, when the pool has more than one slot. */
function slotRecord(s: StatusSources, server: ServerStatus | undefined, status: ManagerStatus | null) {
  const slot = (status?.size ?? 1) > 1 && server?.slot != null ? status?.slots?.find((x) => x.slot === server.slot) : undefined;
  return slot ? { restarts: slot.restarts, lastExit: slot.lastExit ? describeLastExit(slot.lastExit, s.now) : null } : null;
}

function serverRows(s: StatusSources, status: ManagerStatus | null, backoff: ReturnType<typeof backoffOf>): TierRow[] {
  const holder = s.locks.server.holder;
  const listed: readonly ServerStatus[] = status?.servers ?? [];
  const base = { tier: 'server' as const, restarts: null, lastExit: null, heartbeatMs: null, heartbeatFrom: null, backoff: null };
  const rows: TierRow[] = [];
  const lastExit = status?.lastExit ? describeLastExit(status.lastExit, s.now) : null;
  const primary = { restarts: status?.restarts ?? null, lastExit, backoff: backoff.text };
  if (holder !== null) {
    const entry = listed.find((p) => p.pid === holder);
    const answering = s.server?.ok === true;
    const state = withSlot(processState(s, holder, answering ? (entry?.role ?? 'serving') : 'not-answering'), entry, status);
    rows.push({ ...base, ...primary, ...slotRecord(s, entry, status), pid: holder, state, uptimeSeconds: uptime(s, holder, entry?.startedAt), heartbeatMs: s.server?.ok ? s.server.ms : null, heartbeatFrom: s.server?.ok ? 'now' : null });
  } else {
    let state = 'down';
    if (backoff.active) state = backoff.active;
    else if (listed.some((p) => p.role === 'starting')) state = 'starting';
    else if (status?.goal === 'stop') state = 'stopped';
    rows.push({ ...base, ...primary, pid: null, state, uptimeSeconds: null });
  }
  for (const p of listed) {
    if (p.pid === holder || p.pid === null) continue;
    rows.push({ ...base, ...slotRecord(s, p, status), pid: p.pid, state: withSlot(processState(s, p.pid, p.role), p, status), uptimeSeconds: uptime(s, p.pid, p.startedAt) });
  }
  return rows;
}

/** The manager's status, counted only while a manager holds its lock (status.json outlives it). */
function managerStatus(s: StatusSources): ManagerStatus | null {
  return s.locks.manager.holder !== null ? s.manager.status : null;
}

function tierRows(s: StatusSources): TierRow[] {
  const { cop, manager } = s.locks;
  const status = managerStatus(s);
  const copStatus = cop.holder !== null && s.cop?.cop?.pid === cop.holder ? s.cop : null;
  const blank = { restarts: null, lastExit: null, heartbeatMs: null, heartbeatFrom: null, backoff: null };
  const copRow: TierRow = { ...blank, tier: 'cop', pid: cop.holder, state: cop.holder === null ? 'down' : processState(s, cop.holder, 'running'), uptimeSeconds: uptime(s, cop.holder) };
  const ping = copStatus?.lastPing;
  const managerRow: TierRow = {
    ...blank,
    tier: 'manager',
    pid: manager.holder,
    state: manager.holder === null ? 'down' : processState(s, manager.holder, s.manager.live ? 'running' : 'not-answering'),
    uptimeSeconds: uptime(s, manager.holder),
    restarts: copStatus?.managerRestarts ?? null,
    heartbeatMs: s.manager.live ? s.manager.ms : (ping?.ms ?? null),
    heartbeatFrom: s.manager.live ? 'now' : ping ? 'cop' : null,
  };
  return [copRow, managerRow, ...serverRows(s, status, backoffOf(status, s.now))];
}

function degradedReasons(s: StatusSources, rows: readonly TierRow[], backoff: ReturnType<typeof backoffOf>): string[] {
  const reasons: string[] = [];
  const { manager, server } = s.locks;
  if (manager.holder === null) reasons.push('manager is down');
  else if (!s.manager.live) reasons.push(`manager (PID ${manager.holder}) does not answer its control socket: ${s.manager.error}`);
  if (server.holder === null) {
    if (backoff.active === 'given-up') reasons.push(`the manager gave up restarting the server (${managerStatus(s)?.stayDown})`);
    else if (backoff.active === 'backoff') reasons.push(`server is down, restart backoff: ${backoff.text}`);
    else if (managerStatus(s)?.goal === 'stop') reasons.push('server is stopped on request (tripod server start)');
    else reasons.push('server is down');
  } else if (s.server && !s.server.ok) {
    const load = serverLoad(s);
    const why = load?.verdict === 'busy' ? ' (overloaded, but making progress: not killed)' : '';
    reasons.push(`server (PID ${server.holder}) does not answer the heartbeat: ${s.server.error}${why}`);
  }
  const load = serverLoad(s);
  if (load?.verdict === 'stalled') reasons.push(`server (PID ${load.pid}) is stalled: ${load.inflight} requests in flight, the oldest ${secs(load.oldestInflightMs ?? 0)}s old, none completing`);
  for (const slot of slotLoads(s)) {
    if (slot.pid === load?.pid) continue;
    if (slot.verdict === 'stalled') reasons.push(`server of slot ${slot.slot} (PID ${slot.pid}) is stalled: ${slot.inflight} requests in flight, none completing`);
    if (slot.verdict === 'wedged') reasons.push(`server of slot ${slot.slot} (PID ${slot.pid}) is wedged: being replaced`);
  }
  for (const row of rows) if (row.state.startsWith('stopped (') && row.pid !== null) reasons.push(`${row.tier} PID ${row.pid} is stopped (SIGSTOP)`);
  return reasons;
}

function classify(s: StatusSources, rows: readonly TierRow[]): { health: Health; reasons: string[] } {
  if (s.dir === 'unreadable') return { health: 'unknown', reasons: [`runtime directory unreadable: ${s.dirError}`] };
  if (!s.procfs) return { health: 'unknown', reasons: ['/proc is not available: lock holders cannot be told'] };
  if (s.dir === 'missing') return { health: 'not-running', reasons: [`runtime directory ${s.runtimeDir} does not exist`] };
  const foreign = TIERS.filter((t) => s.locks[t].ours === false);
  if (foreign.length > 0) {
    return { health: 'unknown', reasons: foreign.map((t) => `${t}.lock is held by ${s.locks[t].holderDescription ?? `PID ${s.locks[t].holder}`}, which is not a ${t} of this instance (or whose environment this user cannot read); no tier starts while it holds it`) };
  }
  if (s.locks.cop.holder !== null) {
    const reasons = degradedReasons(s, rows, backoffOf(managerStatus(s), s.now));
    return { health: reasons.length > 0 ? 'degraded' : 'running', reasons };
  }
  const unwatched = (['manager', 'server'] as const).filter((t) => s.locks[t].holder !== null).map((t) => `${t} PID ${s.locks[t].holder}`);
  if (unwatched.length > 0 || s.lockless.length > 0) {
    const lockless = s.lockless.map((p) => `${p.tier} PID ${p.pid}`);
    return { health: 'unsupervised', reasons: [`no cop holds cop.lock, but ${[...unwatched, ...lockless.map((l) => `${l} (holds no lock)`)].join(', ')} still run${unwatched.length + lockless.length === 1 ? 's' : ''}`] };
  }
  const stale = TIERS.filter((t) => s.locks[t].stalePid !== null);
  if (stale.length > 0) {
    return { health: 'dead', reasons: stale.map((t) => `${t}.lock names PID ${s.locks[t].stalePid}, but no process holds it`) };
  }
  return { health: 'not-running', reasons: [] };
}

/** Builds the report and its exit code from the gathered sources. */
export function buildReport(s: StatusSources): StatusReport {
  const rows = s.dir === 'ok' ? tierRows(s) : [];
  const { health, reasons } = classify(s, rows);
  const notes: string[] = [];
  if (s.locks.manager.holder !== null && !s.manager.live) {
    const age = typeof s.manager.status?.writtenAt === 'number' ? ` (written ${secs(s.now - s.manager.status.writtenAt)}s ago)` : ' (missing)';
    notes.push(`the manager did not answer; figures come from status.json${age}, lock files and /proc`);
  }
  const stray = s.locks.cop.holder !== null ? s.lockless.filter((p) => p.tier !== 'server' || !(managerStatus(s)?.servers ?? []).some((x) => x.pid === p.pid)) : [];
  const kept = s.locks.server.keptPid;
  if (kept) notes.push(`exec mode: server PID ${s.locks.server.holder} is the keeper; it runs program PID ${kept} (named in server.lock)`);
  if (stray.length > 0) notes.push(`processes of the instance that hold no lock: ${stray.map((p) => `${p.tier} PID ${p.pid}`).join(', ')} (see tripod strays)`);
  return {
    runtimeDir: s.runtimeDir,
    instance: s.instance,
    health,
    exitCode: HEALTH_EXIT[health],
    reasons,
    source: s.manager.live ? 'control' : 'files',
    notes,
    rows,
    listeners: s.listeners.map((l) => ({ listener: listenerText(l), queued: l.queued, backlog: l.backlog })),
    load: s.dir === 'ok' ? serverLoad(s) : null,
    slotLoads: s.dir === 'ok' ? slotLoads(s) : [],
  };
}
