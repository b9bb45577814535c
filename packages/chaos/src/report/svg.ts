// The campaign timeline as a hand-written SVG: requests per second, failures per second by class,
// latency (log scale), and every fault as a band from injection to recovery, violations marked.
import type { SecondPoint } from '../analysis/buckets.js';
import { FAILURE_CLASSES } from '../analysis/summary.js';
import type { FaultTier } from '../faults/fault.js';

export interface TimelineFault {
  readonly index: number;
  readonly tier: FaultTier;
  readonly kind: string;
  /** ms after the origin. */
  readonly fromMs: number;
  /** When the service was back, ms after the origin; null if never. */
  readonly recoveredMs: number | null;
  /** When every tier was back, ms after the origin; null when never (the band runs to the end). */
  readonly toMs: number | null;
  readonly planned: boolean;
}

export interface TimelineInput {
  readonly durationMs: number;
  readonly points: readonly SecondPoint[];
  readonly faults: readonly TimelineFault[];
  readonly violations: readonly { readonly atMs: number; readonly invariant: string }[];
}

export const CLASS_COLORS: Readonly<Record<string, string>> = {
  ok: '#4c956c', refused: '#d62828', reset: '#f77f00', timeout: '#7b2cbf', 'http-5xx': '#c9a227', error: '#6c757d',
};
export const TIER_COLORS: Readonly<Record<FaultTier, string>> = {
  cop: '#1d3557', manager: '#457b9d', server: '#2a9d8f', 'manager+server': '#8d5a97',
};

const WIDTH = 1100;
const LEFT = 64;
const RIGHT = 16;
const PLOT_W = WIDTH - LEFT - RIGHT;
// The first panel starts low enough for the violation markers to sit above its title.
const PANELS = { rps: { top: 36, h: 150 }, fail: { top: 216, h: 90 }, lat: { top: 336, h: 130 }, faults: { top: 496, h: 56 } };
const HEIGHT = 592;

/** Escapes text for SVG/HTML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** A tick step (seconds) giving at most ~12 ticks. */
export function tickStep(seconds: number): number {
  for (const step of [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]) if (seconds / step <= 12) return step;
  return 7200;
}

/** A round upper bound ≥ `value` for an axis. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= value) return m * magnitude;
  return 10 * magnitude;
}

function panelFrame(title: string, top: number, h: number, yLabels: readonly [number, string][]): string {
  const parts = [`<text x="${LEFT}" y="${top - 6}" class="title">${escapeXml(title)}</text>`, `<rect x="${LEFT}" y="${top}" width="${PLOT_W}" height="${h}" class="frame"/>`];
  for (const [y, label] of yLabels) {
    parts.push(`<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${fmt(y)}" y2="${fmt(y)}" class="grid"/>`, `<text x="${LEFT - 4}" y="${fmt(y + 3)}" class="ylabel">${escapeXml(label)}</text>`);
  }
  return parts.join('');
}

/** Renders the timeline SVG. */
export function renderTimeline(input: TimelineInput): string {
  const seconds = Math.max(1, Math.ceil(input.durationMs / 1000));
  const x = (ms: number) => LEFT + (Math.min(Math.max(ms, 0), seconds * 1000) / (seconds * 1000)) * PLOT_W;
  const barW = Math.max(0.5, PLOT_W / seconds - (seconds < 200 ? 1 : 0));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="chaos campaign timeline">`);
  out.push('<style>.title{font:bold 12px sans-serif}.ylabel{font:10px sans-serif;text-anchor:end;fill:#555}.xlabel{font:10px sans-serif;text-anchor:middle;fill:#555}.frame{fill:none;stroke:#999}.grid{stroke:#e5e5e5}.flabel{font:9px sans-serif;fill:#fff}</style>');

  // Fault bands behind every panel.
  for (const f of input.faults) {
    const x1 = x(f.fromMs);
    const x2 = Math.max(x1 + 1.5, x(f.toMs ?? seconds * 1000));
    const color = TIER_COLORS[f.tier];
    const xr = f.recoveredMs === null ? x2 : Math.min(x2, Math.max(x1 + 1.5, x(f.recoveredMs)));
    const sec = (ms: number | null, none: string) => (ms === null ? none : `${(ms / 1000).toFixed(1)} s`);
    const tip = `#${f.index} ${f.tier} ${f.kind}${f.planned ? ' (planned stop)' : ''}: ${sec(f.fromMs, '')}, service back ${sec(f.recoveredMs, 'never')}, tiers back ${sec(f.toMs, 'never')}`;
    const laneY = PANELS.faults.top + (f.planned ? 0 : 8);
    const laneH = PANELS.faults.h - (f.planned ? 0 : 16);
    out.push(`<g><title>${escapeXml(tip)}</title><rect x="${fmt(x1)}" y="${PANELS.rps.top}" width="${fmt(x2 - x1)}" height="${PANELS.faults.top - PANELS.rps.top}" fill="${color}" opacity="0.12"/>`);
    out.push(`<rect x="${fmt(x1)}" y="${laneY}" width="${fmt(xr - x1)}" height="${laneH}" fill="${color}"/>`);
    if (x2 > xr) out.push(`<rect x="${fmt(xr)}" y="${laneY}" width="${fmt(x2 - xr)}" height="${laneH}" fill="${color}" opacity="0.45"/>`);
    if (f.toMs === null) out.push(`<rect x="${fmt(x1)}" y="${laneY}" width="${fmt(x2 - x1)}" height="${laneH}" fill="none" stroke="#d62828" stroke-width="2"/>`);
    if (x2 - x1 > 24) out.push(`<text x="${fmt(x1 + 2)}" y="${PANELS.faults.top + 30}" class="flabel">${escapeXml(f.kind.replace('SIG', ''))}</text>`);
    out.push('</g>');
  }

  // Requests per second (all), with the ok share.
  const maxRps = niceMax(Math.max(1, ...input.points.map((p) => p.total)));
  const rpsY = (v: number) => PANELS.rps.top + PANELS.rps.h - (v / maxRps) * PANELS.rps.h;
  out.push(panelFrame('requests per second (ok)', PANELS.rps.top, PANELS.rps.h, [[rpsY(maxRps), fmt(maxRps)], [rpsY(maxRps / 2), fmt(maxRps / 2)], [rpsY(0), '0']]));
  const okPath = input.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(x(p.second * 1000 + 500))},${fmt(rpsY(p.counts.ok))}`).join('');
  if (okPath) out.push(`<path d="${okPath}" fill="none" stroke="${CLASS_COLORS.ok}" stroke-width="1.5"/>`);

  // Failures per second, stacked by class.
  const maxFail = niceMax(Math.max(1, ...input.points.map((p) => p.total - p.counts.ok)));
  const failY = (v: number) => PANELS.fail.top + PANELS.fail.h - (v / maxFail) * PANELS.fail.h;
  out.push(panelFrame('failed requests per second, by class', PANELS.fail.top, PANELS.fail.h, [[failY(maxFail), fmt(maxFail)], [failY(0), '0']]));
  for (const p of input.points) {
    let stacked = 0;
    for (const c of FAILURE_CLASSES) {
      const n = p.counts[c];
      if (n === 0) continue;
      const y1 = failY(stacked + n);
      out.push(`<rect x="${fmt(x(p.second * 1000))}" y="${fmt(y1)}" width="${fmt(barW)}" height="${fmt(failY(stacked) - y1)}" fill="${CLASS_COLORS[c]}"><title>${p.second} s: ${n} ${c}</title></rect>`);
      stacked += n;
    }
  }

  // Latency, log scale from 1 ms to the first power of ten above the max.
  const maxLat = Math.max(10, ...input.points.map((p) => p.latencyMaxMs ?? 0));
  const decades = Math.max(1, Math.ceil(Math.log10(maxLat)));
  const latY = (ms: number) => PANELS.lat.top + PANELS.lat.h - (Math.log10(Math.max(1, ms)) / decades) * PANELS.lat.h;
  const latLabels: [number, string][] = Array.from({ length: decades + 1 }, (_, d) => [latY(10 ** d), `${10 ** d} ms`]);
  out.push(panelFrame('latency per second: mean (line), max (dots), log scale', PANELS.lat.top, PANELS.lat.h, latLabels));
  const meanPath = input.points.filter((p) => p.latencyMeanMs !== null).map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(x(p.second * 1000 + 500))},${fmt(latY(p.latencyMeanMs!))}`).join('');
  if (meanPath) out.push(`<path d="${meanPath}" fill="none" stroke="#264653" stroke-width="1.5"/>`);
  for (const p of input.points) if (p.latencyMaxMs !== null) out.push(`<circle cx="${fmt(x(p.second * 1000 + 500))}" cy="${fmt(latY(p.latencyMaxMs))}" r="1.6" fill="#e76f51"/>`);

  // Fault lane and violations.
  out.push(panelFrame('faults (solid: until the service is back; pale: until every tier is back; tall: planned stop; red outline: never repaired)', PANELS.faults.top, PANELS.faults.h, []));
  for (const v of input.violations) {
    const vx = x(v.atMs);
    out.push(`<g><title>${escapeXml(`violation: ${v.invariant} at ${(v.atMs / 1000).toFixed(1)} s`)}</title><path d="M${fmt(vx - 5)},2L${fmt(vx + 5)},2L${fmt(vx)},12Z" fill="#d62828"/><line x1="${fmt(vx)}" x2="${fmt(vx)}" y1="${PANELS.rps.top}" y2="${PANELS.faults.top + PANELS.faults.h}" stroke="#d62828" stroke-dasharray="3,3"/></g>`);
  }

  // Time axis.
  const step = tickStep(seconds);
  const axisY = PANELS.faults.top + PANELS.faults.h;
  for (let s = 0; s <= seconds; s += step) out.push(`<line x1="${fmt(x(s * 1000))}" x2="${fmt(x(s * 1000))}" y1="${axisY}" y2="${axisY + 4}" stroke="#999"/><text x="${fmt(x(s * 1000))}" y="${axisY + 16}" class="xlabel">${s} s</text>`);
  out.push(`<text x="${LEFT + PLOT_W / 2}" y="${HEIGHT - 4}" class="xlabel">seconds since the first server was ready</text>`);
  out.push('</svg>');
  return out.join('\n');
}
