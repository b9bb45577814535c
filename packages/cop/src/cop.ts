// The cop's runner: watch manager.lock and server.lock, heartbeat both tiers, start the manager when
// its lock is free, kill what is wedged. Every decision is pure and lives beside it: check-policy.ts
// (what the checks showed), manager-life.ts (deaths, backoff, adoption), stray-triage.ts (strays),
// cycle-gate.ts (one cycle at a time). This file gathers observations and performs the actions.
import type { ChildProcess } from 'node:child_process';
import type { TripodConfig } from '@tripod/core/config/config';
import { isKeeper, probeKeeper } from '@tripod/core/exec/keeper-socket';
import { probeHeartbeat } from '@tripod/core/heartbeat';
import { probeLiveness } from '@tripod/core/liveness/probe';
import { livenessSocketPath, sweepLivenessSockets } from '@tripod/core/liveness/socket-path';
import { findLockHolder } from '@tripod/core/lock/probe';
import type { Log } from '@tripod/core/log/logger';
import type { RuntimePaths } from '@tripod/core/paths';
import { findSlotHolders } from '@tripod/core/pool/slot-locks';
import { describeProcess } from '@tripod/core/proc/read';
import { isInstanceTier } from '@tripod/core/proc/scan';
import { countKill, newCopStatus, serverView, slotViews, writeCopStatus, type CopStatusState } from './cop-status.js';
import { decideCheck, holderToken, INITIAL_CHECK_STATE, keeperAnswer, poolAnswer, type CheckAction, type CheckState } from './check-policy.js';
import { holderLivenessMs } from './server-liveness.js';
import { stepGate, type CycleGate, type GateEvent } from './cycle-gate.js';
import { decideLife, INITIAL_LIFE, mayStartManager, type LifeAction, type LifeEvent, type ManagerLife } from './manager-life.js';
import { spawnManager } from './manager-process.js';
import { askReplace, pingManager } from './probes.js';
import { bindAll, type BoundListener } from './sockets.js';
import { stopGraceMs } from './stray-triage.js';
import { clearStrays, findStrays, killTier, type KillSettings } from './strays.js';

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
  private life: ManagerLife = INITIAL_LIFE;
  private gate: CycleGate = 'idle';
  private cycles: Promise<void> | null = null;
  private managerChild: ChildProcess | null = null;
  private stopping = false;
  private readonly drainingStrays = new Set<number>();
  cycleStartedAt: number | null = null;
  readonly status: CopStatusState = newCopStatus(Date.now());

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
    return { instance: this.instance, killGraceMs: this.config.killGraceMs, log: this.log };
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Runs a check cycle, or (one is running) once more right after it; resolves when that has run. Never throws. */
  cycle(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (!this.stepGate('request')) return this.cycles ?? Promise.resolve();
    this.cycles = (async () => {
      do await this.cycleOnce();
      while (this.stepGate('finished'));
      this.cycles = null;
    })();
    return this.cycles;
  }

  private stepGate(event: GateEvent): boolean {
    const { gate, run } = stepGate(this.gate, event);
    this.gate = gate;
    return run;
  }

  private async cycleOnce(): Promise<void> {
    if (this.stopping) return;
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
    const managerHolder = findLockHolder(paths.lockFile('manager'));
    if (managerHolder !== null && !isInstanceTier(managerHolder, this.instance, 'manager')) {
      // Said once per holder: no manager starts while it holds the lock, and status names it.
      const holder = describeProcess(managerHolder);
      if (this.status.foreignLock?.holder !== holder) this.log.error('manager.lock-foreign', { holder, path: paths.lockFile('manager'), plan: 'no manager starts until it lets go' });
      this.status.foreignLock = { tier: 'manager', holder, since: this.status.foreignLock?.since ?? now };
      return;
    }
    this.status.foreignLock = null;
    this.dispatchLife({ type: 'observed', holder: managerHolder, at: now });
    // A pool: the first slot's holder is judged on liveness and the heartbeat through the port; each
    // other slot lock holder on its own liveness socket.
    const slotHolders = findSlotHolders(paths.dir);
    const holders = slotHolders.map((h) => h.pid);
    const serverHolder = holders[0] ?? null;
    const otherPids = holders.slice(1);
    const livenessMs = (pid: number) => {
      const watch = this.check.server.pid === pid ? this.check.server : this.check.others.find((w) => w.pid === pid);
      return holderLivenessMs(config, watch?.lastAnswerAt ?? null, now);
    };
    // A keeper (exec mode) cannot make its foreign program answer the synthetic heartbeat: it is asked instead.
    const keeper = serverHolder !== null && isKeeper(config.runtimeDir, serverHolder);
    // The probes run side by side: a heartbeat waiting behind an overloaded server's queue must
    // not delay the liveness answer the hang decision rests on.
    const [ping, liveness, answer, kept, othersLiveness] = await Promise.all([
      managerHolder !== null ? pingManager(paths.controlSocket, config.probeTimeoutMs) : null,
      serverHolder !== null ? probeLiveness(livenessSocketPath(paths.dir, serverHolder), livenessMs(serverHolder)) : null,
      serverHolder !== null && !keeper ? probeHeartbeat(config.listen[0]!, config.probeTimeoutMs) : null,
      serverHolder !== null && keeper ? probeKeeper(config.runtimeDir, serverHolder, config.probeTimeoutMs) : null,
      Promise.all(otherPids.map((pid) => probeLiveness(livenessSocketPath(paths.dir, pid), livenessMs(pid)))),
    ]);
    const others = otherPids.map((holder, i) => ({ holder, liveness: othersLiveness[i] ?? null }));
    const token = serverHolder === null ? null : holderToken(this.check, { serverHolder, liveness });
    const heard = kept !== null ? keeperAnswer(kept, token) : answer;
    const probe = serverHolder === null ? heard : poolAnswer(heard, token, this.check, others);
    if (ping?.ok) this.status.lastPing = { ms: ping.ms, at: Date.now() };
    if (probe?.ok && serverHolder !== null && probe.value === token) {
      this.status.lastServerProbe = { ms: probe.ms, at: Date.now() };
      this.status.firstReadyAt ??= Date.now();
      this.events.onServing?.(serverHolder);
    }
    // A new server holds the lock: the sockets of servers that are gone go too (a killed one leaves its own).
    if (serverHolder !== this.check.server.pid) {
      const removed = sweepLivenessSockets(paths.dir);
      if (removed.length > 0) this.log.debug('liveness.swept', { pids: removed });
    }
    const watched = this.life.watched;
    const managerStarting = watched?.origin === 'spawned' && this.managerChild !== null && now - watched.since < config.startGraceMs;
    const decision = decideCheck(this.check, { now: Date.now(), managerHolder, managerStarting, ping, serverHolder, liveness, probe, others }, config);
    this.check = decision.state;
    this.status.server = serverView(decision.state.server, liveness?.ms ?? null);
    this.status.slots = slotViews(slotHolders, decision.state, [liveness, ...othersLiveness]);
    for (const action of decision.actions) await this.perform(action);
  }

  private async perform(action: CheckAction): Promise<void> {
    if (this.stopping) return;
    switch (action.type) {
      case 'log':
        return this.log[action.level](action.event, action.fields);
      case 'start-manager':
        return this.startManager();
      case 'kill': {
        this.log.warn('kill.decide', { tier: action.tier, pid: action.pid, reason: action.reason });
        countKill(this.status, action.tier, action.cause);
        // A server's successor first: the manager promotes the standby into its slot now, so the slot
        // serves again while this one gets its SIGTERM and grace (keep-alive requests it holds may finish).
        if (action.tier === 'server') {
          const refused = await askReplace(this.paths.controlSocket, action.pid, action.reason, this.config.probeTimeoutMs);
          if (refused === null) this.log.info('server.replace-asked', { pid: action.pid });
          else this.log.warn('server.replace-failed', { pid: action.pid, error: refused, plan: 'killed; the manager refills the slot on its death' });
        }
        // A wedged manager gets no SIGTERM: its handler would drain the healthy server it supervises.
        // SIGKILL leaves that server serving, and the next manager takes it over without a gap.
        const skipTerm = action.tier === 'manager';
        const outcome = await killTier(action.pid, action.tier, action.reason, this.config.killGraceMs, this.kill, this.config.coreSignal, skipTerm);
        this.log.warn('kill.done', { tier: action.tier, pid: action.pid, outcome });
        return;
      }
    }
  }

  private dispatchLife(event: LifeEvent): void {
    const { state, actions } = decideLife(this.life, event, { policy: this.config.restart, random: Math.random(), lastServedAt: this.status.lastServerProbe?.at ?? null });
    this.life = state;
    for (const action of actions) this.performLife(action);
  }

  private performLife(action: LifeAction): void {
    switch (action.type) {
      case 'log':
        return this.log[action.level](action.event, action.fields);
      case 'record-exit':
        this.status.managerLastExit = { pid: action.pid, code: action.code, signal: action.signal, at: action.at };
        return;
      case 'backoff-until':
        this.status.managerBackoffUntil = action.at;
        this.writeStatus();
        return;
      case 'check-after':
        setTimeout(() => void this.cycle(), action.ms);
        return;
    }
  }

  /** Clears the instance's strays, makes sure the sockets are bound, and spawns a manager. */
  private async startManager(): Promise<void> {
    if (!mayStartManager(this.life, Date.now())) return;
    const serverHolders = findSlotHolders(this.paths.dir).map((h) => h.pid);
    const moment = { moment: 'manager-start', holdsSockets: this.listeners !== null, serverHolders, config: this.config } as const;
    await clearStrays(moment, this.kill, this.drainingStrays, (tier) => countKill(this.status, tier, 'stray'));
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
    if (this.status.managerStarts++ > 0) this.status.managerRestarts++;
    const pid = child.pid;
    this.log.info('manager.spawn', { pid });
    if (pid !== undefined) this.dispatchLife({ type: 'spawned', pid, at: Date.now() });
    if (this.options.unsafeDropSockets) {
      this.log.warn('sockets.unsafe-drop', { why: '--unsafe-drop-sockets: the kernel queue now dies with the manager' });
      for (const l of this.listeners) l.close();
      this.listeners = null;
    }
    child.once('error', (err) => this.log.error('manager.spawn-failed', { error: err.message }));
    child.once('exit', (code, signal) => {
      if (this.managerChild === child) this.managerChild = null;
      this.dispatchLife({ type: 'exited', pid: child.pid ?? null, code, signal, at: Date.now(), requested: this.stopping });
    });
  }

  /** Writes cop-status.json; a failure is logged, never fatal. */
  writeStatus(): void {
    const error = writeCopStatus(this.paths.copStatusFile, this.status);
    if (error) this.log.warn('status.write-failed', { error });
  }

  /** Graceful stop of the whole instance: the manager drains the server, everything exits, locks are freed. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const holder = findLockHolder(this.paths.lockFile('manager'));
    const grace = stopGraceMs(this.config);
    if (holder !== null) {
      const outcome = await killTier(holder, 'manager', 'instance stop', grace, this.kill);
      this.log.info('manager.stopped', { pid: holder, outcome });
    }
    await clearStrays({ moment: 'instance-stop', holdsSockets: this.listeners !== null, config: this.config }, this.kill);
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
