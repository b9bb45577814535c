// Carries out the supervisor's actions: spawns servers with the inherited listening fds, signals them,
// arms timers, and feeds their exits and IPC messages back as events.
import { spawn, type ChildProcess } from 'node:child_process';
import type { TripodConfig } from '@tripod/core/config/config';
import { tierEnv } from '@tripod/core/instance';
import { signalServerGroup } from '@tripod/core/kill/group';
import { sendSignal } from '@tripod/core/kill/signal';
import type { Log } from '@tripod/core/log/logger';
import { readStat } from '@tripod/core/proc/read';
import type { DrainReport, Outage } from '@tripod/core/wire/manager-status';
import { goMessage, parseServerMessage, poolMessage, type ServerMessage } from '@tripod/core/wire/server-ipc';
import { judgeMemory, readRss } from './memory.js';
import { STANDBY_SETTLE_MS } from './pool.js';
import { decide, INITIAL_STATE, type Action, type DecideContext, type SupervisorEvent, type SupervisorState } from './supervisor.js';

/** How often the memory limit samples each serving server's RSS. */
const MEMORY_SAMPLE_MS = 500;

export interface RunnerOptions {
  readonly config: TripodConfig;
  readonly instance: string;
  readonly serverBin: string;
  /** Listening fds this manager inherited at 3, 4, … and hands to every server. */
  readonly inheritedFds: number;
  readonly log: Log;
  readonly onChange: () => void;
  readonly onAllStopped: () => void;
  /** Called when a server starts serving after none did. */
  readonly onServing?: () => void;
}

export class ServerRunner {
  private current: SupervisorState = INITIAL_STATE;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly children = new Map<number, ChildProcess>();
  /** Each server's starttime, so its group's members can be verified after it was reaped. */
  private readonly starts = new Map<number, number>();
  private memoryTimer: NodeJS.Timeout | null = null;
  private overSince: ReadonlyMap<number, number> = new Map();
  lastDrain: DrainReport | null = null;
  lastOutage: Outage | null = null;
  /** The configuration the next decision and the next server start use (a reload replaces it). */
  config: TripodConfig;

  constructor(private readonly options: RunnerOptions) {
    this.config = options.config;
    this.memoryTimer = setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS);
    this.memoryTimer.unref();
  }

  /** Runs the pool at the configured size. */
  start(): void {
    this.dispatch({ type: 'start', size: this.config.servers });
  }

  /** Takes a reloaded configuration; a changed pool size scales the pool now. */
  applyConfig(next: TripodConfig): void {
    const before = this.config.servers;
    this.config = next;
    if (next.servers !== before && this.current.goal === 'run') {
      this.dispatch({ type: 'scale', size: next.servers });
      this.tellPoolSize();
    }
  }

  /** Scales the pool to `size` servers now; the running configuration says so too (status, next start). */
  scale(size: number): { from: number; to: number } {
    const from = this.current.size;
    this.config = Object.freeze({ ...this.config, servers: size });
    this.dispatch({ type: 'scale', size });
    this.tellPoolSize();
    return { from, to: size };
  }

  /** Every live server learns the pool's size (a pooled server recycles keep-alive connections; docs/pool.md "Balance"). */
  private tellPoolSize(): void {
    const message = poolMessage(this.config.servers);
    for (const child of this.children.values()) {
      if (child.connected) child.send(message, undefined, {}, () => undefined);
    }
  }

  private sampleMemory(): void {
    const limit = this.config.maxMemory;
    if (limit === null) return;
    const samples = this.current.procs.filter((p) => p.role === 'serving' && p.pid !== null).map((p) => ({ pid: p.pid!, rss: readRss(p.pid!) }));
    const judged = judgeMemory(samples, this.overSince, limit, this.config.memoryWindowMs, Date.now());
    this.overSince = judged.overSince;
    for (const { pid, rss } of judged.over) this.dispatch({ type: 'over-memory', pid, rss });
  }

  get state(): SupervisorState {
    return this.current;
  }

  /** True when some server is ready and serving. */
  get isServing(): boolean {
    return this.current.procs.some((p) => p.role === 'serving');
  }

  dispatch(event: SupervisorEvent): void {
    const { config } = this;
    const ctx: DecideContext = {
      now: Date.now(),
      random: Math.random(),
      launchTimeoutMs: config.launchTimeoutMs,
      drainTimeoutMs: config.drainTimeoutMs,
      killGraceMs: config.killGraceMs,
      policy: config.restart,
      standby: config.standby,
      restartBatch: config.restartBatch,
      minUptimeMs: config.minUptimeMs,
      standbySettleMs: STANDBY_SETTLE_MS,
    };
    const wasServing = this.isServing;
    const { state, actions } = decide(this.current, event, ctx);
    this.current = state;
    this.trackOutage(wasServing, ctx.now);
    for (const action of actions) this.perform(action);
    this.options.onChange();
    if (!wasServing && this.isServing) this.options.onServing?.();
  }

  private trackOutage(wasServing: boolean, now: number): void {
    if (wasServing && !this.isServing && this.current.goal === 'run') this.lastOutage = { from: now, to: null };
    if (!wasServing && this.isServing && this.lastOutage && this.lastOutage.to === null) this.lastOutage = { ...this.lastOutage, to: now };
  }

  private perform(action: Action): void {
    const { log } = this.options;
    switch (action.type) {
      case 'spawn':
        return this.spawnServer(action.id, action.slot, action.handover);
      case 'promote': {
        const child = this.children.get(action.pid);
        if (child?.connected) child.send(goMessage(action.slot, this.config.servers));
        return;
      }
      case 'signal':
        if (action.group) {
          // The group by its id only while its leader is unreaped; after that, each verified member.
          signalServerGroup(action.pid, this.starts.get(action.pid) ?? null, this.children.has(action.pid), action.signal);
          if (!this.children.has(action.pid)) this.starts.delete(action.pid);
        } else if (this.children.has(action.pid)) sendSignal(action.pid, action.signal);
        return;
      case 'arm': {
        clearTimeout(this.timers.get(action.name));
        const timer = setTimeout(() => {
          this.timers.delete(action.name);
          this.dispatch({ type: 'timer', name: action.name });
        }, action.ms);
        this.timers.set(action.name, timer);
        return;
      }
      case 'cancel':
        clearTimeout(this.timers.get(action.name));
        this.timers.delete(action.name);
        return;
      case 'log':
        return log[action.level](action.event, action.fields);
      case 'all-stopped':
        return this.options.onAllStopped();
    }
  }

  private spawnServer(id: number, slot: number | null, handover: boolean): void {
    const { instance, serverBin, inheritedFds } = this.options;
    const { config } = this;
    const fds = Array.from({ length: inheritedFds }, (_, i) => 3 + i);
    const args = [serverBin, '--config-json', JSON.stringify(config), '--inherited-fds', String(inheritedFds)];
    if (handover) args.push('--handover');
    if (slot === null) args.push('--standby');
    else args.push('--slot', String(slot));
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, args, {
        cwd: config.runtimeDir,
        detached: true, // its own process group: killing the group reaches the application's children
        stdio: ['ignore', 'inherit', 'inherit', ...fds, 'ipc'],
        env: tierEnv(process.env, instance, 'server'),
      });
    } catch (err) {
      queueMicrotask(() => this.dispatch({ type: 'spawn-failed', id, error: String(err) }));
      return;
    }
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', (err) => this.dispatch({ type: 'spawn-failed', id, error: err.message }));
      return;
    }
    this.children.set(pid, child);
    const started = readStat(pid)?.starttime;
    if (started !== undefined) this.starts.set(pid, started);
    child.on('message', (message: unknown) => {
      const parsed = parseServerMessage(message);
      if (parsed.ok) this.onMessage(pid, parsed.value);
      else this.options.log.warn('server.bad-message', { pid, error: parsed.error.message });
    });
    child.on('error', (err) => this.options.log.warn('server.ipc-error', { pid, error: err.message }));
    child.once('exit', (code, signal) => {
      this.children.delete(pid);
      this.dispatch({ type: 'exited', pid, code, signal });
    });
    this.dispatch({ type: 'spawned', id, pid });
  }

  private onMessage(pid: number, message: ServerMessage): void {
    switch (message.type) {
      case 'ready':
        return this.dispatch({ type: 'ready', pid });
      case 'standby':
        return this.dispatch({ type: 'standby-ready', pid });
      case 'drained': {
        const report: DrainReport = { pid, outcome: message.outcome, openConnections: message.openConnections, ms: message.ms, at: Date.now() };
        this.lastDrain = report;
        return this.options.log[report.outcome === 'success' ? 'info' : 'warn']('server.drain-report', { ...report });
      }
      case 'locked':
        return this.options.log.debug('server.locked', { pid });
    }
  }

  /** Passes SIGHUP to every server, so each reopens its log file too (logrotate renames them all). */
  reopenServerLogs(): void {
    for (const pid of this.children.keys()) sendSignal(pid, 'SIGHUP');
  }

  /** Cancels every timer (at manager exit). */
  dispose(): void {
    if (this.memoryTimer !== null) clearInterval(this.memoryTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
