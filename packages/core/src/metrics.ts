// Prometheus text exposition (format 0.0.4) of one instance: a pure function of the manager's status,
// the cop's status (both parsed by their wire contracts), the lock holders and the clock.
import type { Tier } from './paths.js';
import { TIERS } from './paths.js';
import type { CopStatus } from './wire/cop-status.js';
import { SERVER_VERDICTS } from './wire/liveness.js';
import { listenerText, type ManagerStatus } from './wire/manager-status.js';

export interface MetricsInput {
  readonly manager: ManagerStatus | null;
  /** True when `manager` came from the control socket, false when read from status.json. */
  readonly managerLive: boolean;
  readonly cop: CopStatus | null;
  /** PID holding each tier's lock, or null. */
  readonly holders: Readonly<Record<Tier, number | null>>;
  /** Wall-clock ms. */
  readonly now: number;
}

type MetricType = 'gauge' | 'counter';
type Labels = Readonly<Record<string, string>>;
interface Family {
  readonly help: string;
  readonly type: MetricType;
  readonly samples: { labels: Labels; value: number }[];
}

/** The body's content type, as Prometheus expects it. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as the exposition format spells it. */
export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const seconds = (ms: number): number => Math.round(ms) / 1000;

class Exposition {
  private readonly families = new Map<string, Family>();

  add(name: string, type: MetricType, help: string, labels: Labels, value: number): void {
    let family = this.families.get(name);
    if (!family) {
      family = { help, type, samples: [] };
      this.families.set(name, family);
    }
    family.samples.push({ labels, value });
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`);
      for (const { labels, value } of family.samples) {
        const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
        lines.push(`${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`);
      }
    }
    return lines.join('\n') + '\n';
  }
}

function addTiers(x: Exposition, input: MetricsInput): void {
  const { manager, cop, holders, now } = input;
  for (const tier of TIERS) {
    x.add('tripod_up', 'gauge', 'Whether a process holds the tier\'s lock (1) or not (0).', { tier }, holders[tier] === null ? 0 : 1);
  }
  const serving = manager?.servers?.find((s) => s.role === 'serving');
  const started: Record<Tier, number | undefined> = {
    cop: cop?.cop?.pid === holders.cop ? cop?.cop?.startedAt : undefined,
    manager: manager?.manager?.pid === holders.manager ? manager?.manager?.startedAt : undefined,
    server: serving && serving.pid === holders.server ? serving.startedAt : undefined,
  };
  for (const tier of TIERS) {
    const at = started[tier];
    if (holders[tier] !== null && isNum(at)) {
      x.add('tripod_uptime_seconds', 'gauge', 'Seconds since the process holding the tier\'s lock started.', { tier }, seconds(Math.max(0, now - at)));
    }
  }
}

function addRestarts(x: Exposition, { manager, cop }: MetricsInput): void {
  const help = 'Restarts of a tier after an exit it was not asked for, by cause (signal:NAME, code:N, launch-timeout, any).';
  const byCause = manager?.exitsByCause;
  if (byCause) {
    for (const [cause, n] of Object.entries(byCause)) {
      if (cause !== 'requested' && isNum(n)) x.add('tripod_restarts_total', 'counter', help, { tier: 'server', cause }, n);
    }
  }
  if (isNum(cop?.managerRestarts)) x.add('tripod_restarts_total', 'counter', help, { tier: 'manager', cause: 'any' }, cop.managerRestarts);
  if (byCause && isNum(byCause.requested)) {
    x.add('tripod_requested_exits_total', 'counter', 'Server exits that were asked for (drain, stop, graceful restart).', { tier: 'server' }, byCause.requested);
  }
  if (isNum(cop?.managerStarts)) x.add('tripod_starts_total', 'counter', 'Processes of a tier started by its parent.', { tier: 'manager' }, cop.managerStarts);
  for (const [tier, reasons] of Object.entries(cop?.kills ?? {})) {
    for (const [reason, n] of Object.entries(reasons)) {
      if (isNum(n)) x.add('tripod_kills_total', 'counter', 'Kills the cop decided on, by tier and reason.', { tier, reason }, n);
    }
  }
}

function addHeartbeats(x: Exposition, { cop, now }: MetricsInput): void {
  const beats: [Tier, { ms: number; at: number } | null | undefined][] = [['manager', cop?.lastPing], ['server', cop?.lastServerProbe]];
  for (const [tier, beat] of beats) {
    if (!beat || !isNum(beat.ms) || !isNum(beat.at)) continue;
    x.add('tripod_heartbeat_rtt_seconds', 'gauge', 'Round trip of the cop\'s last successful heartbeat of the tier.', { tier }, seconds(beat.ms));
    x.add('tripod_heartbeat_age_seconds', 'gauge', 'Seconds since the cop\'s last successful heartbeat of the tier.', { tier }, seconds(Math.max(0, now - beat.at)));
  }
}

/** The pool: its size, and per slot whether it serves, its crash restarts and its memory-limit replacements. */
function addPool(x: Exposition, manager: ManagerStatus): void {
  x.add('tripod_pool_size', 'gauge', 'Servers the pool should run (--servers, tripod server scale).', {}, manager.size);
  for (const slot of manager.slots ?? []) {
    const labels = { slot: String(slot.slot) };
    x.add('tripod_slot_serving', 'gauge', 'Whether a server serves the slot (1) or not (0).', labels, slot.phase === 'serving' || slot.phase === 'replacing' ? 1 : 0);
    x.add('tripod_slot_restarts_total', 'counter', 'Crash restarts of the slot\'s server.', labels, slot.restarts);
    x.add('tripod_slot_consecutive_crashes', 'gauge', 'Crashes of the slot\'s server since its last healthy run.', labels, slot.consecutiveCrashes);
    x.add('tripod_memory_replacements_total', 'counter', 'Servers of the slot replaced for going over --max-memory.', labels, slot.memoryReplacements);
  }
}

function addServerState(x: Exposition, { manager, now }: MetricsInput): void {
  if (!manager) return;
  for (const role of ['standby', 'starting', 'serving', 'draining']) {
    const n = (manager.servers ?? []).filter((s) => s.role === role).length;
    x.add('tripod_servers', 'gauge', 'Server processes the manager runs, by role.', { role }, n);
  }
  const until = manager.backoffUntil;
  const inBackoff = isNum(until) && until > now;
  x.add('tripod_backoff', 'gauge', 'Whether the server is waiting out a restart backoff (1) or not (0).', {}, inBackoff ? 1 : 0);
  x.add('tripod_backoff_remaining_seconds', 'gauge', 'Seconds left before the next server start attempt.', {}, inBackoff ? seconds(until - now) : 0);
  if (isNum(manager.consecutiveCrashes)) {
    x.add('tripod_consecutive_crashes', 'gauge', 'Server crashes since the last healthy run.', {}, manager.consecutiveCrashes);
  }
  x.add('tripod_server_given_up', 'gauge', 'Whether the manager stopped restarting the server (1, e.g. the do-not-restart exit code) or not (0).', {}, manager.stayDown ? 1 : 0);
  addPool(x, manager);
  for (const l of manager.listeners ?? []) {
    if (isNum(l.queued)) x.add('tripod_listen_queue_depth', 'gauge', 'Connections waiting in the listener\'s accept queue.', { listener: listenerText(l) }, l.queued);
  }
  for (const l of manager.listeners ?? []) {
    if (isNum(l.backlog)) x.add('tripod_listen_backlog', 'gauge', 'The listener\'s accept-queue limit (backlog capped by somaxconn).', { listener: listenerText(l) }, l.backlog);
  }
  const drain = manager.lastDrain;
  if (drain && isNum(drain.ms) && isNum(drain.at)) {
    const labels = { outcome: String(drain.outcome) };
    x.add('tripod_last_drain_duration_seconds', 'gauge', 'How long the last server drain took, by outcome (success, timeout).', labels, seconds(drain.ms));
    x.add('tripod_last_drain_open_connections', 'gauge', 'Connections still open when the last drain ended.', labels, isNum(drain.openConnections) ? drain.openConnections : NaN);
    x.add('tripod_last_drain_timestamp_seconds', 'gauge', 'When the last drain ended (Unix time).', labels, seconds(drain.at));
  }
}

/** The cop's verdict on each slot's server (a pool): one series per slot and verdict. */
function addSlotVerdicts(x: Exposition, { cop }: MetricsInput): void {
  for (const view of cop?.slots ?? []) {
    for (const verdict of SERVER_VERDICTS) {
      x.add('tripod_slot_verdict', 'gauge', 'The cop\'s verdict on each slot\'s server (1 for the current one), judged on that server\'s own liveness.', { slot: String(view.slot), verdict }, view.verdict === verdict ? 1 : 0);
    }
  }
  for (const view of cop?.slots ?? []) {
    const age = view.liveness?.progressAgeMs;
    if (isNum(age)) x.add('tripod_slot_progress_age_seconds', 'gauge', 'Time since each slot\'s server last made progress, at the cop\'s last check.', { slot: String(view.slot) }, seconds(age));
  }
}

function addLiveness(x: Exposition, input: MetricsInput): void {
  addSlotVerdicts(x, input);
  const { cop, holders } = input;
  const server = cop?.server;
  if (!server || server.pid !== holders.server || holders.server === null) return;
  for (const verdict of SERVER_VERDICTS) {
    x.add('tripod_server_verdict', 'gauge', 'The cop\'s verdict on the serving server (1 for the current one): busy is overload, which is never killed by default; stalled is requests that never complete.', { verdict }, server.verdict === verdict ? 1 : 0);
  }
  const l = server.liveness;
  if (!l) return;
  if (isNum(l.progressAgeMs)) x.add('tripod_server_progress_age_seconds', 'gauge', 'Time since the server\'s main thread last made progress, at the cop\'s last check.', {}, seconds(l.progressAgeMs));
  if (isNum(l.lagMs)) x.add('tripod_server_event_loop_lag_seconds', 'gauge', 'The server\'s event-loop lag (largest timer lateness over about a second).', {}, seconds(l.lagMs));
  if (isNum(l.inflight)) x.add('tripod_server_requests_in_flight', 'gauge', 'Application requests the server has started and not finished.', {}, l.inflight);
  if (isNum(l.oldestInflightMs)) x.add('tripod_server_oldest_request_seconds', 'gauge', 'Age of the oldest request in flight (0 when none).', {}, seconds(l.oldestInflightMs));
  if (isNum(l.completed)) x.add('tripod_server_requests_completed_total', 'counter', 'Application requests the serving server has finished (resets with a new server).', {}, l.completed);
}

function addFreshness(x: Exposition, { manager, managerLive, cop, now }: MetricsInput): void {
  x.add('tripod_status_live', 'gauge', 'Whether the manager answered the control socket (1) or the figures come from status.json (0).', {}, managerLive ? 1 : 0);
  if (isNum(manager?.writtenAt)) {
    x.add('tripod_status_age_seconds', 'gauge', 'Age of the manager status these figures come from.', {}, seconds(Math.max(0, now - manager.writtenAt)));
  }
  if (isNum(cop?.firstReadyAt)) x.add('tripod_first_ready_timestamp_seconds', 'gauge', 'When a server first answered for this cop (Unix time).', {}, seconds(cop.firstReadyAt));
  const reload = cop?.lastReload;
  if (reload && isNum(reload.at)) {
    x.add('tripod_last_reload_timestamp_seconds', 'gauge', 'When the cop last reloaded its configuration (Unix time).', {}, seconds(reload.at));
    x.add('tripod_last_reload_success', 'gauge', 'Whether the last reload succeeded (1) or reported an error (0).', {}, reload.error ? 0 : 1);
  }
}

/** The instance's state as Prometheus text exposition format 0.0.4. */
export function renderMetrics(input: MetricsInput): string {
  const x = new Exposition();
  addTiers(x, input);
  addRestarts(x, input);
  addHeartbeats(x, input);
  addServerState(x, input);
  addLiveness(x, input);
  addFreshness(x, input);
  return x.render();
}
