// The summary printed on the terminal at the end of a campaign, and the one-line progress reports.
import { INVARIANTS } from '../analysis/invariant-names.js';
import type { Violation } from '../analysis/invariant-names.js';
import { FAILURE_CLASSES, type Summary } from '../analysis/summary.js';
import type { Spread } from '../analysis/statistics.js';

const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)}ms`);
const spreadText = (s: Spread) => `median ${ms(s.median)}  p95 ${ms(s.p95)}  max ${ms(s.max)}`;

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
}

function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => pad(r, widths));
}

/** The end-of-campaign summary: faults by tier × kind, recovery, failures by class, invariants, verdict. */
export function formatSummary(summary: Summary, violations: readonly Violation[], reportPath: string | null): string {
  const lines: string[] = [];
  const s = summary;
  lines.push(`requests: ${s.requests.total} (${s.requests.perSecond}/s) over ${(s.durationMs / 1000).toFixed(1)} s`);
  lines.push(`faults: ${s.faults.injected} injected of ${s.faults.planned} planned, ${s.faults.recovered} recovered, ${s.faults.notRecovered} service not back in time, ${s.faults.notRepaired} tiers not back in time, ${s.faults.skipped} skipped`);
  lines.push(`recovery (service back): ${spreadText(s.recovery)}`);
  lines.push(`repair (every tier back): ${spreadText(s.repair)}`);
  if (s.faults.byTierKind.length > 0) {
    const rows = [['tier', 'kind', 'inj', 'ok', 'late', 'skip', 'recovery median', 'p95', 'max', 'repair median', 'p95', 'max']];
    for (const r of s.faults.byTierKind) {
      const r3 = (x: Spread) => [ms(x.median), ms(x.p95), ms(x.max)];
      rows.push([r.tier, r.kind, String(r.injected), String(r.recovered), String(r.notRecovered + r.notRepaired), String(r.skipped), ...r3(r.recovery), ...r3(r.repair)]);
    }
    lines.push(...columns(rows).map((l) => `  ${l}`));
  }
  const classRows = [['class', 'total', 'expected', 'planned-stop', 'violation']];
  for (const c of FAILURE_CLASSES) {
    const r = s.failures[c];
    classRows.push([c, String(r.total), String(r.expected), String(r.plannedStop), String(r.violation)]);
  }
  lines.push('failed requests by class:', ...columns(classRows).map((l) => `  ${l}`));
  lines.push('invariants:');
  for (const name of Object.keys(INVARIANTS) as (keyof typeof INVARIANTS)[]) {
    const n = s.violations.byInvariant[name] ?? 0;
    lines.push(`  ${n === 0 ? 'ok      ' : 'VIOLATED'} ${name}${n ? ` (${n})` : ''}`);
  }
  for (const v of violations.slice(0, 20)) lines.push(`VIOLATION ${v.invariant}${v.fault !== null ? ` [fault #${v.fault}]` : ''}: ${v.message}`);
  if (violations.length > 20) lines.push(`… and ${violations.length - 20} more violations (see the report)`);
  if (reportPath) lines.push(`report: ${reportPath}`);
  lines.push(s.verdict === 'pass' ? 'PASS: no invariant violated' : `FAIL: invariant(s) violated: ${Object.keys(s.violations.byInvariant).join(', ')}`);
  return lines.join('\n');
}

export interface ProgressState {
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly faultsDone: number;
  readonly faultsPlanned: number;
  readonly violations: number;
}

/** One progress line while the campaign runs. */
export function formatProgress(p: ProgressState): string {
  const secs = `${Math.round(p.elapsedMs / 1000)}s/${Math.round(p.durationMs / 1000)}s`.padStart(9);
  const total = Object.values(p.counts).reduce((s, n) => s + n, 0);
  const failed = FAILURE_CLASSES.filter((c) => (p.counts[c] ?? 0) > 0).map((c) => `${c} ${p.counts[c]}`).join(' ');
  return `[${secs}] requests ${total} ok ${p.counts.ok ?? 0}${failed ? ` ${failed}` : ''} | faults ${p.faultsDone}/${p.faultsPlanned} | violations ${p.violations}`;
}

/** Seconds since `origin`, as "+12.3s". */
export function since(origin: number, at: number): string {
  return `+${((at - origin) / 1000).toFixed(1)}s`;
}

/** A campaign event as one terminal line, or null for events not worth a line. */
export function formatEvent(origin: number, e: { readonly at: number; readonly type: string; readonly [k: string]: unknown }): string | null {
  const t = since(origin, e.at);
  const pids = (targets: unknown) => (Array.isArray(targets) ? targets.map((x: { tier: string; pid: number }) => `${x.tier} ${x.pid}`).join(', ') : '');
  switch (e.type) {
    case 'cop-start':
      return `${t} cop started, PID ${String(e.pid)}${e.restart ? ' (restart)' : ''}`;
    case 'cop-attached':
      return `${t} attached to the running cop, PID ${String(e.pid)}`;
    case 'cop-exit':
      return `${t} cop ${String(e.pid)} exited (${e.signal ? `signal ${String(e.signal)}` : `code ${String(e.code)}`})${e.restartInMs !== null ? `; restarting in ${String(e.restartInMs)} ms` : ''}`;
    case 'fault-injected':
      return `${t} fault #${String(e.index)} ${String(e.tier)} ${String(e.kind)}${e.kind === 'SIGSTOP' ? ` (hold ${String(e.holdMs)} ms)` : ''} → ${pids(e.targets) || 'no target reached'}`;
    case 'fault-done':
      return `${t} fault #${String(e.index)} ${String(e.outcome)}: service back ${e.recoveryMs !== null ? `in ${String(e.recoveryMs)} ms` : 'never'}, tiers back ${e.repairMs !== null ? `in ${String(e.repairMs)} ms` : 'never'}${e.note ? ` (${String(e.note)})` : ''}`;
    case 'violation':
      return `${t} VIOLATION ${String(e.invariant)}: ${String(e.message)}`;
    case 'ready':
      return `${t} instance ready: server PID ${String(e.pid)} answering on port ${String(e.port)}`;
    default:
      return null;
  }
}
