// One campaign, step by step: prepare, start the decoys and the cop (as its outer supervisor), wait for
// the first ready, then load + samples + faults for the duration, stop, check what is left, report.
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findSlotHolders, instanceGone, isInstanceTier, scanInstance, servingServerPid, waitUntil, type RuntimePaths } from '@tripod/core';
import type { ChaosOptions } from '../cli/options.js';
import { BUCKET_MS } from '../analysis/buckets.js';
import type { Violation } from '../analysis/invariant-names.js';
import { startLoad } from '../load/client.js';
import { assembleReport } from '../report/assemble.js';
import type { ChaosEvent, ChaosReport, FaultRecord } from '../report/model.js';
import { formatEvent, formatProgress, formatSummary } from '../report/text.js';
import { copyLogs, writeReport } from '../report/write.js';
import { planSchedule } from '../schedule/schedule.js';
import { observeDecoys, startDecoys, stopDecoys } from './decoys.js';
import { runFaults } from './fault-loop.js';
import { bindSocketUnit, type HeldSocket } from './socket-unit.js';
import { findPerl } from './reaper.js';
import { RequestRecorder } from './recorder.js';
import { Sampling } from './sampling.js';
import { prepare } from './setup.js';
import { OuterSupervisor } from './supervisor.js';

/** The first server must answer within this after the cop starts. */
export const READY_TIMEOUT_MS = 30_000;
/** The cop must have stopped the whole instance within this after SIGTERM. */
export const STOP_TIMEOUT_MS = 60_000;
/** After the cop exited, processes of the instance get this long to go before they count as strays. */
export const STRAY_GRACE_MS = 5000;

export interface CampaignResult {
  readonly report: ChaosReport;
  readonly files: { readonly json: string; readonly html: string };
  /** False when the instance never became ready (nothing was measured). */
  readonly ran: boolean;
}

async function waitReady(host: string, port: number, paths: RuntimePaths, servers: number, aborted: () => boolean): Promise<number | null> {
  return waitUntil(async () => {
    const pid = await servingServerPid({ host, port }, 1000, paths.dir);
    const holders = findSlotHolders(paths.dir).filter((h) => h.slot < servers);
    return pid !== null && holders.length === servers && holders.some((h) => h.pid === pid) ? pid : null;
  }, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100, aborted });
}

/** SIGKILLs what is left of the instance after the checks (nothing must leak from a campaign). */
function killLeftovers(instance: string): number[] {
  const killed: number[] = [];
  for (const p of scanInstance(instance)) {
    if (p.state === 'Z' || !isInstanceTier(p.pid, instance, p.tier)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
      killed.push(p.pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}

/** Runs a campaign; `say` prints a line for people. */
export async function runCampaign(options: ChaosOptions, say: (line: string) => void): Promise<CampaignResult> {
  const startedAt = Date.now();
  const setup = await prepare(options);
  mkdirSync(options.outDir, { recursive: true });
  const events: ChaosEvent[] = [];
  const notes: string[] = [];
  let origin = startedAt;
  const sampleViolations: Violation[] = [];
  const event = (e: ChaosEvent) => {
    events.push(e);
    const line = formatEvent(origin, e);
    if (line !== null && (!options.quiet || e.type === 'violation')) say(line);
  };
  const violation = (v: Violation) => {
    sampleViolations.push(v);
    event({ at: v.at, type: 'violation', invariant: v.invariant, message: v.message, fault: v.fault });
  };
  let aborted = false;
  const abort = () => (aborted = true);
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);

  const outputFd = openSync(join(options.outDir, 'instance-console.log'), 'w');
  const perl = findPerl();
  let socketUnit: HeldSocket | null = null;
  if (options.socketActivation && !setup.attached) {
    const held = perl === null ? null : bindSocketUnit(options.host, setup.port);
    if (held !== null && 'fd' in held) socketUnit = held;
    else notes.push(`no socket activation (${perl === null ? 'perl not found' : `bind failed: ${held?.error}`}): the cop binds its own socket`);
  }
  const decoys = startDecoys(setup.instance, setup.runtimeDir, setup.env);
  const supervisor = new OuterSupervisor({
    command: setup.copCommand, env: setup.env, instance: setup.instance, copLock: setup.paths.lockFile('cop'),
    restartMs: options.restartMs, outputFd, perl, listenFd: socketUnit?.fd ?? null, onEvent: event,
  });
  const sampling = new Sampling({
    paths: setup.paths, instance: setup.instance, host: options.host, port: setup.port,
    isOurCop: (pid) => supervisor.isOurCop(pid), isHarnessProcess: (pid) => supervisor.isHarnessProcess(pid), decoys: () => observeDecoys(decoys),
  }, options.sampleMs, violation);
  say(`tripod-chaos: seed ${options.seed}, ${options.durationMs / 1000} s, ${options.ratePerMinute} faults/min, runtime dir ${setup.runtimeDir}, port ${setup.port}${setup.attached ? ' (attached)' : ''}`);
  supervisor.begin();
  sampling.start();

  const servingPid = await waitReady(options.host, setup.port, setup.paths, options.servers, () => aborted);
  const readyAt = servingPid === null ? null : Date.now();
  const recorder = new RequestRecorder(readyAt ?? startedAt);
  const schedule = planSchedule({
    seed: options.seed, durationMs: options.durationMs, ratePerMinute: options.ratePerMinute, combos: options.combos,
    warmupMs: options.warmupMs, cooldownMs: options.cooldownMs, holdMinMs: options.holdMinMs, holdMaxMs: options.holdMaxMs,
  });
  let faults: FaultRecord[] = [];
  let loadEndedAt = Date.now();
  if (readyAt === null) {
    notes.push(`the instance never became ready within ${READY_TIMEOUT_MS / 1000} s (see instance-console.log): nothing was measured`);
    say(`tripod-chaos: ${notes[notes.length - 1]}`);
  } else {
    origin = readyAt;
    event({ at: readyAt, type: 'ready', pid: servingPid, port: setup.port });
    sampling.phase = 'running';
    say(`schedule: ${schedule.length} faults over ${options.durationMs / 1000} s from ${options.combos.length} (tier, kind) pairs`);
    const load = startLoad({
      host: options.host, port: setup.port, path: options.path,
      newConnectionWorkers: options.concurrency - Math.round(options.concurrency * options.keepAliveShare),
      keepAliveWorkers: Math.round(options.concurrency * options.keepAliveShare),
      durationMs: options.durationMs + options.repairBoundMs + options.holdMaxMs + 10_000,
      maxRequests: options.maxRequests, timeoutMs: options.requestTimeoutMs, ratePerSec: options.requestRate,
    }, (r) => recorder.record(r));
    let faultsDone = 0;
    const progress = setInterval(() => {
      if (!options.quiet) say(formatProgress({ elapsedMs: Date.now() - readyAt, durationMs: options.durationMs, counts: recorder.counts, faultsDone, faultsPlanned: schedule.length, violations: sampleViolations.length }));
    }, options.progressMs);
    faults = await runFaults(schedule, {
      health: { paths: setup.paths, host: options.host, port: setup.port, servers: options.servers },
      targets: { paths: setup.paths, instance: setup.instance, isOurCop: (pid) => supervisor.isOurCop(pid) },
      origin: readyAt, lastInjectAt: readyAt + options.durationMs - options.cooldownMs, recoveryBoundMs: options.recoveryBoundMs,
      repairBoundMs: options.repairBoundMs,
      overload: { path: options.overloadPath, clients: options.overloadClients, timeoutMs: options.requestTimeoutMs, onRecord: (r) => recorder.record(r) },
      aborted: () => aborted,
      onPhase: (phase, fault) => {
        sampling.phase = phase;
        sampling.fault = fault;
      },
      onEvent: event,
      onFault: (f) => {
        faultsDone++;
        if (f.outcome !== 'skipped') event({ at: f.endedAt ?? Date.now(), type: 'fault-done', index: f.index, outcome: f.outcome, recoveryMs: f.recoveryMs, repairMs: f.repairMs, note: f.note });
        else event({ at: Date.now(), type: 'fault-skipped', index: f.index, note: f.note });
      },
    });
    const endAt = readyAt + options.durationMs;
    await waitUntil(() => Date.now() >= endAt, { timeoutMs: Math.max(0, endAt - Date.now()), intervalMs: 200, aborted: () => aborted });
    load.stop();
    await load.done;
    loadEndedAt = Date.now();
    clearInterval(progress);
  }
  if (aborted) notes.push('the campaign was interrupted (SIGINT/SIGTERM) before its end');

  sampling.phase = 'stopping';
  let leftovers: number[] = [];
  if (options.keepRunning) {
    notes.push('--keep-running: the instance was left running; the after-stop checks were skipped');
  } else {
    const stop = await supervisor.stop(STOP_TIMEOUT_MS);
    socketUnit?.close(); // systemd closes the socket unit's socket when the unit stops
    event({ at: Date.now(), type: 'instance-stop', result: stop });
    await waitUntil(() => instanceGone(setup.instance, setup.paths), { timeoutMs: STRAY_GRACE_MS, intervalMs: 100 });
    sampling.phase = 'stopped';
    sampling.checkAfterStop();
    leftovers = killLeftovers(setup.instance);
    if (leftovers.length > 0) notes.push(`killed leftover processes of the instance after the checks: ${leftovers.join(', ')}`);
    if (!(await supervisor.waitShims(3000))) supervisor.killShims();
  }
  sampling.stop();
  stopDecoys(decoys);
  closeSync(outputFd);
  process.off('SIGINT', abort);
  process.off('SIGTERM', abort);
  if (supervisor.reaper !== 'subreaper') notes.push(`no subreaper (${perl === null ? 'perl not found' : 'prctl failed'}): orphans of a killed cop were left to the host's init`);
  if (sampling.orphanZombies > 0) notes.push(`${sampling.orphanZombies} zombie(s) of the instance were left unreaped by a parent outside the instance (the host's init)`);
  const copied = copyLogs(setup.paths.logDir, options.outDir);
  if (copied.length > 0) notes.push(`tier logs copied to ${join(options.outDir, 'logs')}: ${copied.join(', ')}`);
  if (setup.created && !options.keepRunning && leftovers.length === 0) rmSync(setup.runtimeDir, { recursive: true, force: true });

  const report = assembleReport({
    options: { ...options, combos: undefined }, seed: options.seed, startedAt, readyAt, loadEndedAt, endedAt: Date.now(),
    instance: { runtimeDir: setup.runtimeDir, id: setup.instance, host: options.host, port: setup.port, app: options.app, attached: setup.attached, reaper: supervisor.reaper },
    schedule, faults, copRuns: supervisor.runs, events, sampleViolations, failures: recorder.failures, failuresDropped: recorder.dropped,
    bucketOrigin: recorder.origin, bucketMs: BUCKET_MS, rows: recorder.buckets.toRows(), samples: sampling.counts, notes,
  }, { recoveryMs: options.recoveryBoundMs, repairMs: options.repairBoundMs });
  const files = writeReport(options.outDir, report);
  say(formatSummary(report.summary, report.violations, files.html));
  for (const note of notes) say(`note: ${note}`);
  return { report, files, ran: readyAt !== null };
}
