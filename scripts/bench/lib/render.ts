// Pure: the bench's results → titled tables (rendered as text or markdown) and the issue's targets.
import { addCounts, difference, median, ratio, summarize } from './stats.js';
import type { BootResult, IdleResult, LoadResult, OverloadRow, RecoveryResult, Results, ThroughputRun, Verdicts } from './model.js';
import { markdownTable, textTable, type Cell } from './table.js';
import { poolSections } from './pool-render.js';
import { pinnedSection, rollingSection } from './rolling-render.js';

/** One titled table of the report. */
export interface Section {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly note?: string | null;
}

/** A throughput run as the summaries read it (tests give only the fields they need). */
export type RunLike = Pick<ThroughputRun, 'round' | 'mode' | 'target' | 'rps' | 'failed'> & Partial<ThroughputRun>;
/** A load window as the targets read it. */
export type LoadLike = Pick<LoadResult, 'name' | 'total' | 'faults' | 'counts'>;

interface Medians {
  rps: number | null;
  p99Ms: number | null;
  rounds: number;
  failed: number;
  cpuUsPerRequest: number | null;
  servingCpuUsPerRequest: number | null;
  vsBare: number | null;
  vsCluster: number | null;
}

const TRIPOD_KILLS = ['server-kill', 'manager-kill', 'both-kill', 'server-stop'];
/** Log events shown in the recovery timeline, in the order they usually happen. */
const TIMELINE_KEYS = [
  'cop:heartbeat.fail', 'cop:kill.decide', 'cop:kill.signal:SIGTERM', 'cop:kill.signal:SIGKILL', 'cop:manager.exit', 'cop:stray.drain',
  'cop:manager.spawn', 'manager:manager.start', 'manager:server.exit', 'manager:server.spawn', 'server:server.ready', 'manager:server.ready',
];

const fmt = (v: number | null | undefined, digits = 0): string | null => (v === null || v === undefined || Number.isNaN(v) ? null : v.toFixed(digits));

function bootSection(boot: BootResult): Section {
  const { samples, traces, importCosts } = boot;
  const bare = median(samples.bare);
  const server = median(samples.server);
  const rows: Cell[][] = [
    ['node -e 0 (process start and exit)', fmt(median(samples.nodeEmpty)), ''],
    ['bare app: spawn → first success', fmt(bare), `first listen() at ${fmt(traces.bare.listenMs)} ms (traced run)`],
    ['tripod-server as the manager starts it: spawn → first success', fmt(server), `first listen() at ${fmt(traces.server.listenMs)} ms (traced run); +${fmt(difference(server, bare))} ms over bare`],
  ];
  for (const [pkg, c] of Object.entries(importCosts)) {
    rows.push([`import ${pkg} alone (fresh process)`, fmt(c.ms, 1), c.loadedBeforeListen ? `loaded by the server before it listens (${c.modules} modules)` : 'not loaded before the server listens']);
  }
  return { title: 'Start-up cost (median ms)', headers: ['what', 'ms', 'note'], rows };
}

function recoverySection(recovery: readonly RecoveryResult[]): Section {
  const bare = recovery.find((r) => r.name === 'bare-kill');
  const floor = bare ? median(bare.samples.map((s) => s.firstOkMs)) : null;
  const rows = recovery.map((r) => {
    const first = summarize(r.samples.map((s) => s.firstOkMs));
    const counts = addCounts(...r.samples.map((s) => s.counts));
    return [
      r.label, first.n, fmt(first.median), fmt(first.p95), fmt(first.max), r.name === 'bare-kill' ? 0 : fmt(difference(first.median, floor)),
      fmt(median(r.samples.map((s) => s.newProcessMs))), fmt(Math.max(...r.samples.map((s) => s.maxLatencyMs))),
      counts.refused ?? 0, (counts.reset ?? 0) + (counts.timeout ?? 0) + (counts.error ?? 0) + (counts['http-5xx'] ?? 0),
    ];
  });
  return {
    title: 'Recovery: fault → first successful response (ms; poller opens a new connection every 3 ms)',
    headers: ['scenario', 'n', 'median', 'p95', 'max', 'Δ median vs bare', 'new process (median)', 'max poll latency', 'poll refused', 'poll other fail'],
    rows,
  };
}

function timelineSection(recovery: readonly RecoveryResult[]): Section {
  const rows = recovery.filter((r) => r.name !== 'bare-kill').map((r) => {
    const byKey: Record<string, number[]> = {};
    for (const s of r.samples) for (const [key, ms] of Object.entries(s.offsets)) (byKey[key] ??= []).push(ms);
    const steps = TIMELINE_KEYS.filter((k) => byKey[k]).map((k): [string, number] => [k, median(byKey[k]!) ?? 0]).sort((a, b) => a[1] - b[1]);
    return [r.label, steps.map(([k, ms]) => `${k} +${Math.round(ms)}`).join(' → ')];
  });
  return { title: "Recovery timeline (median ms after the fault, from the tiers' JSON logs)", headers: ['scenario', 'events'], rows };
}

function loadSection(load: readonly LoadResult[]): Section {
  const rows = load.map((r) => [
    r.label, r.mode, r.faults, fmt(r.windowMs / 1000, 1), r.total, r.counts.ok, r.counts.refused, r.counts.reset, r.counts.timeout, r.counts['http-5xx'], r.counts.error, r.maxMs,
  ]);
  return {
    title: 'Under load: client outcomes in a window with the faults in it (new = new connection per request; keep-alive = reused connections)',
    headers: ['scenario', 'load', 'faults', 'window s', 'requests', 'ok', 'refused', 'reset', 'timeout', '5xx', 'error', 'max latency ms'],
    rows,
  };
}

/** Per round, `target`'s req/s divided by `reference`'s in the same round and mode. */
export function roundRatios(runs: readonly RunLike[], mode: string, target: string, reference: string): number[] {
  const byRound = new Map<number, Record<string, number>>();
  for (const r of runs) {
    if (r.mode !== mode) continue;
    const round = byRound.get(r.round) ?? {};
    byRound.set(r.round, round);
    round[r.target] = r.rps;
  }
  return [...byRound.values()].map((round) => ratio(round[target], round[reference])).filter((v): v is number => v !== null);
}

/** µs of CPU per successful request over all `runs`, CPU ms taken by `cpuOf`. */
function perRequest(runs: readonly RunLike[], cpuOf: (r: RunLike) => number | null | undefined): number | null {
  const known = runs.filter((r) => cpuOf(r) !== null && cpuOf(r) !== undefined);
  const ok = known.reduce((n, r) => n + (r.ok ?? 0), 0);
  return ok === 0 ? null : (1000 * known.reduce((n, r) => n + (cpuOf(r) ?? 0), 0)) / ok;
}

/** Per mode and target: median req/s and p99 over the rounds, and the medians of the per-round ratios. */
export function throughputMedians(runs: readonly RunLike[]): Record<string, Record<string, Medians>> {
  const grouped: Record<string, Record<string, RunLike[]>> = {};
  for (const r of runs) ((grouped[r.mode] ??= {})[r.target] ??= []).push(r);
  const out: Record<string, Record<string, Medians>> = {};
  for (const [mode, byTarget] of Object.entries(grouped)) {
    for (const [target, list] of Object.entries(byTarget)) {
      (out[mode] ??= {})[target] = {
        rps: median(list.map((r) => r.rps)),
        p99Ms: median(list.map((r) => r.p99Ms)),
        rounds: list.length,
        failed: list.reduce((n, r) => n + r.failed, 0),
        cpuUsPerRequest: perRequest(list, (r) => r.cpuMs),
        servingCpuUsPerRequest: perRequest(list, (r) => r.servingCpuMs),
        vsBare: median(roundRatios(runs, mode, target, 'bare')),
        vsCluster: median(roundRatios(runs, mode, target, 'cluster')),
      };
    }
  }
  return out;
}

function throughputSection(runs: readonly ThroughputRun[], verdicts: Verdicts | null): Section {
  const medians = throughputMedians(runs);
  const rows: Cell[][] = [];
  for (const [mode, byTarget] of Object.entries(medians)) {
    for (const [target, m] of Object.entries(byTarget)) {
      const capacity = ratio(byTarget.bare?.cpuUsPerRequest, m.cpuUsPerRequest);
      rows.push([mode, target, m.rounds, fmt(m.rps), fmt(m.p99Ms, 2), fmt(m.vsBare, 3), fmt(m.vsCluster, 3), fmt(ratio(m.p99Ms, byTarget.bare?.p99Ms), 2), fmt(m.servingCpuUsPerRequest, 1), fmt(m.cpuUsPerRequest, 1), fmt(capacity, 3), m.failed]);
    }
  }
  return {
    title: 'Steady-state throughput (closed loop; medians over interleaved rounds; ratios are medians of per-round ratios; CPU from /proc: serving = the process running the handler, all = with cop+manager or the cluster primary)',
    headers: ['load', 'target', 'rounds', 'req/s', 'p99 ms', 'req/s ÷ bare', 'req/s ÷ cluster', 'p99 ÷ bare', 'CPU µs/req serving', 'CPU µs/req all', 'bare CPU ÷ this (all)', 'failed'],
    rows,
    note: verdicts
      ? `During these runs (no fault injected) the cop logged ${verdicts.managerHeartbeatFailures} manager and ${verdicts.serverHeartbeatFailures} server heartbeat failures, and decided ${verdicts.managerKills} manager and ${verdicts.serverKills} server kills.`
      : null,
  };
}

function idleSection(idle: readonly IdleResult[]): Section {
  return {
    title: `Idle cost over ${idle[0]?.windowS.toFixed(1) ?? '?'} s (CPU from /proc/PID/stat utime+stime, RSS from VmRSS; ${idle[0]?.procNetTcpLines ?? '?'} sockets in /proc/net/tcp{,6})`,
    headers: ['process', 'CPU %', 'CPU ms', 'RSS MiB'],
    rows: idle.map((p) => [p.name, fmt(p.cpuPercent, 2), fmt(p.cpuMs), fmt(p.rssMiB, 1)]),
  };
}

/** The issue's targets: `{ target, measured, met }`; a target whose data is missing is left out. */
export function evaluateTargets(results: { recovery?: readonly RecoveryResult[] | null; load?: readonly LoadLike[] | null; throughput?: readonly RunLike[] | null }): { target: string; measured: string; met: boolean }[] {
  const out: { target: string; measured: string; met: boolean }[] = [];
  const { recovery, load, throughput } = results;
  if (recovery || load) {
    const fromLoad = (load ?? []).filter((r) => TRIPOD_KILLS.includes(r.name)).reduce((n, r) => n + r.counts.refused, 0);
    const fromPoll = (recovery ?? []).filter((r) => TRIPOD_KILLS.includes(r.name)).reduce((n, r) => n + r.samples.reduce((m, s) => m + (s.counts.refused ?? 0), 0), 0);
    out.push({ target: 'zero refused connections on every kill through tripod', measured: `${fromLoad + fromPoll} refused (${fromLoad} under load, ${fromPoll} by the poller)`, met: fromLoad + fromPoll === 0 });
  }
  if (load) {
    const graceful = load.filter((r) => r.name === 'graceful-restart');
    const failed = graceful.reduce((n, r) => n + (r.total - r.counts.ok), 0);
    const restarts = graceful.reduce((n, r) => n + r.faults, 0);
    out.push({ target: 'zero failures of any kind on graceful restart', measured: `${failed} failed of ${graceful.reduce((n, r) => n + r.total, 0)} requests over ${restarts} restarts`, met: failed === 0 });
  }
  if (recovery) {
    const m = (name: string) => median(recovery.find((r) => r.name === name)?.samples.map((s) => s.firstOkMs) ?? []);
    const gap = difference(m('server-kill'), m('bare-kill'));
    out.push({ target: "server SIGKILL → first success within 30 ms of the bare app's boot (median)", measured: gap === null ? 'n/a' : `${Math.round(m('server-kill') ?? 0)} ms vs ${Math.round(m('bare-kill') ?? 0)} ms: +${Math.round(gap)} ms`, met: gap !== null && gap <= 30 });
  }
  if (throughput) {
    for (const [mode, byTarget] of Object.entries(throughputMedians(throughput))) {
      const r = byTarget.tripod?.vsBare ?? null;
      const cpu = ratio(byTarget.bare?.cpuUsPerRequest, byTarget.tripod?.cpuUsPerRequest);
      const measured = r === null ? 'n/a' : `${r.toFixed(3)} × bare req/s (CPU per request: bare ÷ tripod = ${cpu === null ? 'n/a' : cpu.toFixed(3)})`;
      out.push({ target: `steady-state throughput ≥ 0.97 × bare (${mode})`, measured, met: r !== null && r >= 0.97 });
    }
  }
  return out;
}

function overloadSection(rows: readonly OverloadRow[]): Section {
  const label = (r: OverloadRow) => (r.target === 'bare' ? 'bare app' : r.killOnSlowMs === null ? 'tripod (defaults)' : `tripod --kill-on-slow-ms ${r.killOnSlowMs}`);
  return {
    title: 'Overload: 20 ms of CPU per request, keep-alive clients (more than one core can serve)',
    headers: ['target', 'clients', 'requests', 'ok', 'failed', 'reset', 'timeout', 'max latency ms', 'kills', 'max loop lag ms', 'verdicts seen'],
    rows: rows.map((r) => [label(r), r.clients, r.total, r.ok, r.failed, r.counts.reset, r.counts.timeout, r.maxMs, r.kills ?? '-', r.maxLagMs ?? '-', r.verdicts.join(',') || '-']),
    note: 'tripod judges a server on its progress (docs/liveness.md): a busy server is reported, never killed by default; the kill-on-slow row is the opt-in latency SLO, a heartbeat-timeout watchdog.',
  };
}

/** Tripod at each overload level fails no more than bare and kills nothing. */
export function overloadTargets(rows: readonly OverloadRow[]): { target: string; measured: string; met: boolean }[] {
  const levels = [...new Set(rows.map((r) => r.clients))];
  const pairs = levels.flatMap((clients) => {
    const bare = rows.find((r) => r.target === 'bare' && r.clients === clients);
    const tripod = rows.find((r) => r.target === 'tripod' && r.clients === clients);
    return bare && tripod ? [{ clients, bare, tripod }] : [];
  });
  if (pairs.length === 0) return [];
  const measured = pairs.map((p) => `${p.clients} clients: ${p.tripod.failed} failed (bare ${p.bare.failed}), ${p.tripod.kills} kills`).join('; ');
  return [{ target: 'overload: no kill, no failure beyond bare (defaults)', measured, met: pairs.every((p) => p.tripod.kills === 0 && p.tripod.failed <= p.bare.failed) }];
}

/** Every section that has data, plus the targets. */
function execSection(exec: NonNullable<Results['exec']>): Section {
  const rows = exec.rows.map((r) => [
    r.target, r.action, r.repeat, fmt(median(r.firstOkMs)), fmt(Math.max(...r.firstOkMs)), r.total, r.counts.ok ?? 0, r.counts.refused ?? 0, r.counts.reset ?? 0,
    r.total - (r.counts.ok ?? 0) - (r.counts.refused ?? 0) - (r.counts.reset ?? 0),
  ]);
  return {
    title: 'Exec mode: gunicorn kept by tripod vs. gunicorn in a shell loop (new-connection load; first answer = first request sent after the action to be answered)',
    headers: ['target', 'action', 'n', 'first answer median ms', 'max ms', 'requests', 'ok', 'refused', 'reset', 'other failed'],
    rows,
    note: exec.skipped,
  };
}

export function buildSections(results: Results): Section[] {
  const sections: Section[] = [];
  if (results.exec) sections.push(execSection(results.exec));
  if (results.boot) sections.push(bootSection(results.boot));
  if (results.recovery) sections.push(recoverySection(results.recovery), timelineSection(results.recovery));
  if (results.load) sections.push(loadSection(results.load));
  if (results.throughput) sections.push(throughputSection(results.throughput, results.throughputVerdicts));
  if (results.idle) sections.push(idleSection(results.idle));
  if (results.overload) sections.push(overloadSection(results.overload));
  if (results.pool) sections.push(...poolSections(results.pool));
  if (results.pinned) sections.push(pinnedSection(results.pinned));
  if (results.rolling) sections.push(rollingSection(results.rolling));
  const targets = [...evaluateTargets(results), ...overloadTargets(results.overload ?? [])];
  if (targets.length > 0) sections.push({ title: 'Targets', headers: ['target', 'measured', 'met'], rows: targets.map((t) => [t.target, t.measured, t.met ? 'yes' : 'NO']) });
  return sections;
}

/** The sections as terminal text. */
export function renderText(sections: readonly Section[]): string {
  return sections.map((s) => `${s.title}\n${textTable(s.headers, s.rows)}${s.note ? `\n${s.note}` : ''}`).join('\n\n');
}

/** The sections as markdown, under a heading. */
export function renderMarkdown(sections: readonly Section[], heading: string): string {
  return [`# ${heading}`, ...sections.map((s) => `## ${s.title}\n\n${markdownTable(s.headers, s.rows)}${s.note ? `\n\n${s.note}` : ''}`)].join('\n\n') + '\n';
}
