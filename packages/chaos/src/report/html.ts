// report.html: the verdict, the summary tables, the SVG timeline, every fault, the violating requests.
import { perSecond } from '../analysis/buckets.js';
import { INVARIANTS, type InvariantName } from '../analysis/invariant-names.js';
import { FAILURE_CLASSES } from '../analysis/summary.js';
import type { Spread } from '../analysis/statistics.js';
import { FAULT_TIERS } from '../faults/fault.js';
import type { ChaosReport } from './model.js';
import { CLASS_COLORS, TIER_COLORS, escapeXml, renderTimeline } from './svg.js';

/** Failing requests listed individually in the page (all of them are in report.json). */
export const HTML_FAILURE_ROWS = 300;

const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v)} ms`);
const spreadCells = (s: Spread) => `<td>${ms(s.median)}</td><td>${ms(s.p95)}</td><td>${ms(s.max)}</td>`;
const secondsAfter = (origin: number, at: number | null) => (at === null ? '–' : `${((at - origin) / 1000).toFixed(2)} s`);

function table(head: readonly string[], rows: readonly string[]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function legend(): string {
  const classes = Object.entries(CLASS_COLORS).map(([c, color]) => `<span><i style="background:${color}"></i>${escapeXml(c)}</span>`);
  const tiers = FAULT_TIERS.map((t) => `<span><i style="background:${TIER_COLORS[t]}"></i>${escapeXml(t)}</span>`);
  return `<p class="legend">classes: ${classes.join(' ')} &nbsp; fault tiers: ${tiers.join(' ')} &nbsp; <span><i style="background:#d62828"></i>violation</span></p>`;
}

/** Renders the whole page. */
export function renderHtml(report: ChaosReport): string {
  const s = report.summary;
  const origin = report.readyAt ?? report.startedAt;
  // The timeline spans the load; later events (the stop) are drawn at its right edge.
  const spanMs = Math.max(1000, s.durationMs);
  const svg = renderTimeline({
    durationMs: spanMs,
    points: perSecond(report.buckets.rows, report.buckets.bucketMs, Math.ceil(spanMs / 1000)),
    faults: report.faults
      .filter((f) => f.injectedAt !== null)
      .map((f) => ({
        index: f.index, tier: f.tier, kind: f.kind, fromMs: f.injectedAt! - origin, planned: f.planned,
        recoveredMs: f.recoveredAt === null ? null : f.recoveredAt - origin,
        toMs: f.repairedAt === null ? null : f.repairedAt - origin,
      })),
    violations: report.violations.map((v) => ({ atMs: v.at - origin, invariant: v.invariant })),
  });
  const verdict = s.verdict === 'pass' ? '<p class="pass">PASS: no invariant violated</p>' : `<p class="fail">FAIL: ${s.violations.total} violation(s) of ${Object.keys(s.violations.byInvariant).map(escapeXml).join(', ')}</p>`;
  const faultRows = s.faults.byTierKind.map((r) => `<tr><td>${escapeXml(r.tier)}</td><td>${escapeXml(r.kind)}</td><td>${r.injected}</td><td>${r.recovered}</td><td${r.notRecovered ? ' class="bad"' : ''}>${r.notRecovered}</td><td${r.notRepaired ? ' class="bad"' : ''}>${r.notRepaired}</td><td>${r.skipped}</td>${spreadCells(r.recovery)}${spreadCells(r.repair)}</tr>`);
  faultRows.push(`<tr class="total"><td colspan="2">all</td><td>${s.faults.injected}</td><td>${s.faults.recovered}</td><td>${s.faults.notRecovered}</td><td>${s.faults.notRepaired}</td><td>${s.faults.skipped}</td>${spreadCells(s.recovery)}${spreadCells(s.repair)}</tr>`);
  const classRows = FAILURE_CLASSES.map((c) => {
    const r = s.failures[c];
    return `<tr><td><i class="sw" style="background:${CLASS_COLORS[c]}"></i>${escapeXml(c)}</td><td>${r.total}</td><td>${r.expected}</td><td>${r.plannedStop}</td><td${r.violation ? ' class="bad"' : ''}>${r.violation}</td></tr>`;
  });
  const invariantRows = (Object.keys(INVARIANTS) as InvariantName[]).map((name) => {
    const n = s.violations.byInvariant[name] ?? 0;
    return `<tr><td>${escapeXml(name)}</td><td>${escapeXml(INVARIANTS[name])}</td><td${n ? ' class="bad"' : ''}>${n}</td></tr>`;
  });
  const violationItems = report.violations.map((v) => `<li><b>${escapeXml(v.invariant)}</b> at ${secondsAfter(origin, v.at)}${v.fault !== null ? ` (fault #${v.fault})` : ''}: ${escapeXml(v.message)}</li>`);
  const faultList = report.faults.map((f) => {
    const targets = f.targets.map((t) => `${t.tier} ${t.pid}`).join(', ');
    const bad = f.outcome === 'not-recovered' || f.outcome === 'not-repaired';
    return `<tr${bad ? ' class="bad"' : ''}><td>${f.index}</td><td>${escapeXml(f.tier)}</td><td>${escapeXml(f.kind)}${f.holdMs ? ` (${f.holdMs} ms)` : ''}${f.planned ? ' planned stop' : ''}</td><td>${secondsAfter(origin, f.injectedAt)}</td><td>${ms(f.recoveryMs)}</td><td>${ms(f.repairMs)}</td><td>${escapeXml(f.outcome)}</td><td>${escapeXml(targets)}</td><td>${f.servedBefore ?? '–'} → ${f.servedAfter ?? '–'}</td><td>${escapeXml(f.note ?? '')}</td></tr>`;
  });
  const failing = report.failures.filter((f) => f.verdict === 'violation').slice(0, HTML_FAILURE_ROWS);
  const failureRows = failing.map((f) => `<tr><td>${secondsAfter(origin, f.at)}</td><td>${f.ms} ms</td><td>${escapeXml(f.outcome)}</td><td>${escapeXml(f.mode)}</td><td>${escapeXml(f.error ?? '')}</td><td>${f.fault ?? '–'}</td><td>${escapeXml(f.invariant ?? '')}</td></tr>`);
  const copRuns = report.copRuns.map((r) => `<tr><td>${r.pid}</td><td>${secondsAfter(origin, r.startedAt)}</td><td>${secondsAfter(origin, r.exitedAt)}</td><td>${r.code ?? '–'}</td><td>${escapeXml(r.signal ?? '')}</td></tr>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tripod chaos report (seed ${report.seed})</title>
<style>
body{font:14px/1.4 sans-serif;margin:24px;color:#222;max-width:1160px}
table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}
th{background:#f2f2f2}.bad{background:#fde2e2;font-weight:bold}.total{font-weight:bold}
.pass{color:#2b7a3d;font-size:18px;font-weight:bold}.fail{color:#b00020;font-size:18px;font-weight:bold}
.legend span{margin-right:10px;white-space:nowrap}.legend i,.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
code{background:#f5f5f5;padding:1px 4px}
</style></head><body>
<h1>tripod chaos report</h1>
${verdict}
<p>seed <code>${report.seed}</code>, ${(s.durationMs / 1000).toFixed(1)} s of load after the first ready, ${s.requests.total} requests (${s.requests.perSecond}/s), ${s.faults.injected} faults injected of ${s.faults.planned} planned.
Instance <code>${escapeXml(report.instance.id)}</code> in <code>${escapeXml(report.instance.runtimeDir)}</code>, serving ${escapeXml(report.instance.host)}:${report.instance.port}, application ${escapeXml(report.instance.app ?? 'built-in')}${report.instance.attached ? ' (attached)' : ''}; orphans reaped by ${report.instance.reaper === 'subreaper' ? "the harness's subreaper" : "the host's init"}.</p>
${violationItems.length ? `<h2>Violations</h2><ol>${violationItems.join('\n')}</ol>` : ''}
<h2>Timeline</h2>
${legend()}
${svg}
<h2>Faults by tier and kind</h2>
<p>Recovery: until a server (a new one after a server kill) answered the heartbeat. Repair: until every tier was back (killed targets replaced, the server a child of the manager); a tier in its restart backoff delays only the repair.</p>
${table(['tier', 'kind', 'injected', 'in bounds', 'service late', 'tiers late', 'skipped', 'recovery median', 'p95', 'max', 'repair median', 'p95', 'max'], faultRows)}
<h2>Failed requests by class</h2>
${table(['class', 'total', 'expected (a killed process had accepted it)', 'planned stop', 'violation'], classRows)}
<h2>Invariants</h2>
${table(['invariant', 'what is checked', 'violations'], invariantRows)}
<h2>Every fault</h2>
${table(['#', 'tier', 'kind', 'injected', 'recovery', 'repair', 'outcome', 'targets', 'served by (before → after)', 'note'], faultList)}
${failureRows.length ? `<h2>Violating requests (first ${failureRows.length}; all in report.json)</h2>${table(['started', 'took', 'class', 'connection', 'error', 'fault', 'invariant'], failureRows)}` : ''}
<h2>Cop runs (the harness as outer supervisor)</h2>
${table(['PID', 'started', 'exited', 'code', 'signal'], copRuns)}
${report.notes.length ? `<h2>Notes</h2><ul>${report.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
