// The cop's check loop: watch manager.lock and server.lock, heartbeat both tiers, start the manager
// when its lock is free, kill what is wedged. Decisions come from check-policy.ts; this file acts.
import type { ChildProcess } from 'node:child_process';
import {
  decideRestart, findLockHolder, isInstanceTier, isKeeper, probeHeartbeat, probeKeeper, type Death, type Log, type RuntimePaths, type TripodConfig,
} from '@tripod/core';
import { countKill, newCopStatus, writeCopStatus, type CopStatus } from './cop-status.js';
import { decideCheck, INITIAL_CHECK_STATE, type CheckAction, type CheckState } from './check-policy.js';
import { spawnManager } from './manager-process.js';
import { pingManager } from './probes.js';
import { bindAll, type BoundListener } from './sockets.js';
import { findStrays, killTier, type KillSettings } from './strays.js';

export interface CopOptions {
  /** Test-only: close the cop's copy of the sockets after handing them down (breaks invariant 2 on purpose). */
  readonly unsafeDropSockets?: boolean;
}

export interface CopEvents {
  /** A heartbeat through the listening socket succeeded (the service answers). */
  onServing?(pid: number): void;
  onCycle?(): void;
}

export class Cop {
  private check: CheckState = INITIAL_CHECK_STATE;
  private managerChild: ChildProcess | null = null;
  private managerSpawnedAt = 0;
  private managerDeaths: Death[] = [];
  private nextManagerStartAt = 0;
  private readonly stopping = { value: false };
  private readonly drainingStrays = new Set<number>();
  cycleStartedAt: number | null = null;
  readonly status: CopStatus = newCopStatus(Date.now());

  constructor(
    private current: TripodConfig,
    private readonly paths: RuntimePaths,
    private readonly instance: string,
    private readonly log: Log,
    private listeners: BoundListener[] | null,
    private readonly events: CopEvents = {},
    private readonly options: CopOptions = {},
  ) {}

  /** The configuration in force (a reload replaces it). */
  get config(): TripodConfig {
    return this.current;
  }

  applyConfig(config: TripodConfig): void {
    this.current = config;
  }

  private get kill(): KillSettings {
    return { instance: this.instance, coreSignal: this.config.coreSignal, killGraceMs: this.config.killGraceMs, log: this.log };
  }

  get isStopping(): boolean {
    return this.stopping.value;
  }

  /** One check cycle; never throws. */
  async cycle(): Promise<void> {
    if (this.stopping.value) return;
    this.cycleStartedAt = Date.now();
    try {
      await this.checkOnce();
    } catch (err) {
      this.log.error('cop.cycle-error', { error: (err as Error).stack ?? String(err) });
    } finally {
      this.cycleStartedAt = null;
      this.writeStatus();
      this.events.onCycle?.();
    }
  }

  private async checkOnce(): Promise<void> {
    const { config, paths } = this;
    const now = Date.now();
    let managerHolder = findLockHolder(paths.lockFile('manager'));
    if (managerHolder !== null && !isInstanceTier(managerHolder, this.instance, 'manager')) {
      this.log.error('manager.lock-foreign', { holder: managerHolder, path: paths.lockFile('manager') });
      return;
    }
    const ping = managerHolder !== null ? await pingManager(paths.controlSocket, config.probeTimeoutMs) : null;
    if (ping?.ok) this.status.lastPing = { ms: ping.ms, at: Date.now() };
    const serverHolder = findLockHolder(paths.lockFile('server'));
    // Exec mode's server tier is a keeper: it answers for its foreign program, which cannot answer the synthetic heartbeat.
    const probe = serverHolder === null
      ? null
      : isKeeper(config.runtimeDir, serverHolder)
        ? await probeKeeper(config.runtimeDir, serverHolder, config.probeTimeoutMs)
        : await probeHeartbeat(config.listen[0]!, config.probeTimeoutMs);
    if (probe?.ok && probe.value === serverHolder) {
      this.status.lastServerProbe = { ms: probe.ms, at: Date.now() };
      this.status.firstReadyAt ??= Date.now();
      this.events.onServing?.(serverHolder);
    }
    const managerStarting = this.managerChild !== null && now - this.managerSpawnedAt < config.startGraceMs;
    const decision = decideCheck(this.check, { now, managerHolder, managerStarting, ping, serverHolder, probe }, config);
    this.check = decision.state;
    for (const action of decision.actions) await this.perform(action);
  }

  private async perform(action: CheckAction): Promise<void> {
    if (this.stopping.value) return;
    switch (action.type) {
      case 'log':
        return this.log[action.level](action.event, action.fields);
      case 'start-manager':
        return this.startManager();
      case 'kill': {
        this.log.warn('kill.decide', { tier: action.tier, pid: action.pid, reason: action.reason });
        countKill(this.status, action.tier, action.cause);
        // A wedged manager gets no SIGTERM: its handler would drain the healthy server it supervises.
        // SIGKILL leaves that server serving, and the next manager takes it over without a gap.
        const skipTerm = action.tier === 'manager';
        const outcome = await killTier(action.pid, action.tier, action.reason, this.config.killGraceMs, this.kill, this.config.coreSignal, skipTerm);
        this.log.warn('kill.done', { tier: action.tier, pid: action.pid, outcome });
        return;
      }
    }
  }

  /** Clears the instance's strays, makes sure the sockets are bound, and spawns a manager. */
  private async startManager(): Promise<void> {
    const now = Date.now();
    if (now < this.nextManagerStartAt) return;
    await this.clearStrays();
    if (this.listeners === null) {
      try {
        this.listeners = await bindAll(this.config.listen);
        this.log.info('sockets.bound', { listen: this.listeners.map((l) => `${l.listener.host}:${l.listener.port}`) });
      } catch (err) {
        this.log.error('sockets.bind-failed', { error: (err as Error).message });
        return;
      }
    }
    const child = spawnManager(this.config, this.instance, this.listeners.map((l) => l.fd));
    this.managerChild = child;
    this.managerSpawnedAt = Date.now();
    if (this.status.managerStarts++ > 0) this.status.managerRestarts++;
    const pid = child.pid;
    this.log.info('manager.spawn', { pid });
    if (this.options.unsafeDropSockets) {
      this.log.warn('sockets.unsafe-drop', { why: '--unsafe-drop-sockets: the kernel queue now dies with the manager' });
      for (const l of this.listeners) l.close();
      this.listeners = null;
    }
    child.once('error', (err) => this.log.error('manager.spawn-failed', { error: err.message }));
    child.once('exit', (code, signal) => this.onManagerExit(child, code, signal));
  }

  private onManagerExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.managerChild === child) this.managerChild = null;
    const requested = this.stopping.value;
    this.log[requested ? 'info' : 'warn']('manager.exit', { pid: child.pid, code, signal, requested });
    if (requested) return;
    const now = Date.now();
    this.status.managerLastExit = { pid: child.pid ?? null, code, signal, at: now };
    // A manager under which the service answered was healthy: restart the next one at once, because
    // its death may have taken the server with it (a drain), and a backoff would leave nothing serving.
    const healthy = (this.status.lastServerProbe?.at ?? 0) > this.managerSpawnedAt;
    this.managerDeaths = [...this.managerDeaths, { at: now, code, signal, requested, uptimeMs: now - this.managerSpawnedAt, healthy }].slice(-32);
    const decision = decideRestart(this.managerDeaths, this.config.restart, Math.random);
    if (decision.action === 'restart' && decision.delayMs > 0) {
      this.log.warn('manager.backoff', { delayMs: decision.delayMs, consecutive: decision.consecutive });
      this.nextManagerStartAt = now + decision.delayMs;
    }
    this.status.managerBackoffUntil = decision.action === 'restart' && decision.delayMs > 0 ? this.nextManagerStartAt : null;
    this.writeStatus();
    setTimeout(() => void this.cycle(), decision.action === 'restart' ? decision.delayMs : 0);
  }

  /**
   * Stray managers are killed before a new one starts. When the cop holds the sockets, the orphaned
   * server that still holds server.lock keeps serving: the new manager drains it once its own server is
   * ready, so a manager's death is invisible to clients. Other stray servers are asked to drain in the
   * background. When the cop holds no sockets (it adopted the dead manager), every stray must be gone
   * before it can bind.
   */
  private async clearStrays(): Promise<void> {
    const strays = findStrays(this.instance, this.drainingStrays);
    const serverHolder = findLockHolder(this.paths.lockFile('server'));
    for (const stray of strays) {
      if (stray.tier === 'server' && this.listeners !== null && stray.pid === serverHolder) {
        // The orphan still serves: the next manager lets it drain once its own server is ready.
        this.log.info('stray.left-for-handover', { pid: stray.pid });
      } else if (stray.tier === 'server' && this.listeners !== null) {
        this.drainingStrays.add(stray.pid);
        countKill(this.status, 'server', 'stray');
        this.log.info('stray.drain', { pid: stray.pid });
        void killTier(stray.pid, 'server', 'stray server (its manager is gone)', this.config.drainTimeoutMs, this.kill).finally(() => this.drainingStrays.delete(stray.pid));
      } else {
        const grace = stray.tier === 'server' ? this.config.drainTimeoutMs : this.config.killGraceMs;
        const outcome = await killTier(stray.pid, stray.tier, `stray ${stray.tier}`, grace, this.kill);
        countKill(this.status, stray.tier, 'stray');
        this.log.info('stray.killed', { pid: stray.pid, tier: stray.tier, outcome });
      }
    }
  }

  /** Writes cop-status.json; a failure is logged, never fatal. */
  writeStatus(): void {
    const error = writeCopStatus(this.paths.copStatusFile, this.status);
    if (error) this.log.warn('status.write-failed', { error });
  }

  /** Graceful stop of the whole instance: the manager drains the server, everything exits, locks are freed. */
  async stop(): Promise<void> {
    if (this.stopping.value) return;
    this.stopping.value = true;
    const holder = findLockHolder(this.paths.lockFile('manager'));
    const grace = this.config.drainTimeoutMs + 2 * this.config.killGraceMs + 1000;
    if (holder !== null) {
      const outcome = await killTier(holder, 'manager', 'instance stop', grace, this.kill);
      this.log.info('manager.stopped', { pid: holder, outcome });
    }
    for (const stray of findStrays(this.instance)) {
      const outcome = await killTier(stray.pid, stray.tier, 'instance stop', grace, this.kill);
      this.log.info('stray.killed', { pid: stray.pid, tier: stray.tier, outcome });
    }
    await this.waitManagerReaped(grace);
    for (const l of this.listeners ?? []) l.close();
    this.listeners = null;
  }

  private waitManagerReaped(ms: number): Promise<void> {
    const child = this.managerChild;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
