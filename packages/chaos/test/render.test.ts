import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BucketAggregator } from '../src/analysis/buckets.js';
import { summarize } from '../src/analysis/summary.js';
import { renderHtml } from '../src/report/html.js';
import type { ChaosReport, FaultRecord } from '../src/report/model.js';
import { escapeXml, niceMax, renderTimeline, tickStep } from '../src/report/svg.js';
import { formatEvent, formatProgress, formatSummary } from '../src/report/text.js';

/** Counts of each element's opening and closing tags must match (a cheap well-formedness check). */
function assertBalanced(svg: string, tags: readonly string[]) {
  for (const tag of tags) {
    const open = svg.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0;
    const selfClosed = svg.match(new RegExp(`<${tag}[^>]*/>`, 'g'))?.length ?? 0;
    const close = svg.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0;
    assert.equal(open - selfClosed, close, `<${tag}> opened ${open - selfClosed}, closed ${close}`);
  }
}

test('axis helpers pick round numbers', () => {
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(180), 200);
  assert.equal(niceMax(201), 250);
  assert.equal(niceMax(7), 10);
  assert.equal(tickStep(20), 2);
  assert.equal(tickStep(60), 5);
  assert.equal(tickStep(600), 60);
  assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
});

test('the timeline draws one band per fault, failure bars by class, violation markers, and stays well formed', () => {
  const points = Array.from({ length: 10 }, (_, second) => ({
    second, total: 100, counts: { ok: second === 4 ? 90 : 100, refused: second === 4 ? 7 : 0, reset: second === 4 ? 3 : 0, timeout: 0, 'http-5xx': 0, error: 0 }, latencyMeanMs: 3, latencyMaxMs: 40,
  }));
  const svg = renderTimeline({
    durationMs: 10_000,
    points,
    faults: [
      { index: 1, tier: 'server', kind: 'SIGKILL', fromMs: 2000, recoveredMs: 2200, toMs: 2300, planned: false },
      { index: 2, tier: 'manager+server', kind: 'SIGSTOP', fromMs: 4000, recoveredMs: null, toMs: null, planned: false },
    ],
    violations: [{ atMs: 4100, invariant: 'no-refused-connection' }],
  });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assertBalanced(svg, ['svg', 'g', 'text', 'title', 'rect', 'path', 'style']);
  assert.equal(svg.match(/<title>#\d+ /g)?.length, 2);
  assert.match(svg, /#2 manager\+server SIGSTOP: 4\.0 s, service back never, tiers back never/);
  assert.match(svg, /#1 server SIGKILL: 2\.0 s, service back 2\.2 s, tiers back 2\.3 s/);
  assert.match(svg, /<title>4 s: 7 refused<\/title>/);
  assert.match(svg, /<title>4 s: 3 reset<\/title>/);
  assert.match(svg, /violation: no-refused-connection at 4\.1 s/);
  assert.match(svg, /stroke="#d62828" stroke-width="2"/, 'the unrecovered fault is outlined');
});

function report(): ChaosReport {
  const agg = new BucketAggregator(1000);
  agg.add(1100, 'ok', 2);
  agg.add(1200, 'refused', 1);
  const fault: FaultRecord = {
    index: 1, tier: 'manager+server', kind: 'SIGKILL', holdMs: 0, planned: false, scheduledAt: 1150, injectedAt: 1150, recoveredAt: 1450, recoveryMs: 300,
    repairedAt: 1650, repairMs: 500, endedAt: 1650,
    outcome: 'recovered', targets: [{ tier: 'manager', pid: 20, starttime: 1 }], servedBefore: 30, servedAfter: 31, note: '<odd>',
  };
  const failures = [{ at: 1200, ms: 1, outcome: 'refused' as const, mode: 'new' as const, error: 'ECONNREFUSED', fault: 1, verdict: 'violation' as const, invariant: 'no-refused-connection' as const }];
  const violations = [{ invariant: 'no-refused-connection' as const, at: 1200, message: '1 failed request(s)', fault: 1 }];
  return {
    tool: 'tripod-chaos', formatVersion: 1, options: {}, seed: 42, startedAt: 900, readyAt: 1000, endedAt: 3000,
    instance: { runtimeDir: '/tmp/x', id: 'abc', host: '127.0.0.1', port: 8080, app: null, attached: false, reaper: 'subreaper' },
    schedule: [], faults: [fault], copRuns: [{ pid: 10, startedAt: 950, exitedAt: 2900, code: 0, signal: null }], events: [], violations, failures, failuresDropped: 0,
    buckets: { origin: 1000, bucketMs: 100, fields: [], rows: agg.toRows() }, samples: { count: 8, scans: 2 }, notes: ['a note'],
    summary: summarize({ durationMs: 2000, planned: 1, faults: [fault], rows: agg.toRows(), failures, violations }),
  };
}

test('the page shows the verdict, the tables, the timeline, and escapes what it prints', () => {
  const html = renderHtml(report());
  assert.match(html, /FAIL: 1 violation\(s\) of no-refused-connection/);
  assert.match(html, /<td>manager\+server<\/td><td>SIGKILL<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>300 ms<\/td><td>300 ms<\/td><td>300 ms<\/td><td>500 ms<\/td>/);
  assert.match(html, /<svg /);
  assert.match(html, /&lt;odd&gt;/);
  assert.doesNotMatch(html, /<odd>/);
  assert.match(html, /ECONNREFUSED/);
  assert.match(html, /a note/);
});

test('the terminal summary names each violated invariant and the verdict', () => {
  const r = report();
  const text = formatSummary(r.summary, r.violations, '/tmp/x/report.html');
  assert.match(text, /VIOLATED no-refused-connection \(1\)/);
  assert.match(text, /ok {7}one-holder-per-tier/);
  assert.match(text, /FAIL: invariant\(s\) violated: no-refused-connection/);
  assert.match(text, /manager\+server +SIGKILL +1 +1 +0 +0 +300ms +300ms +300ms +500ms/);
  assert.match(formatProgress({ elapsedMs: 5000, durationMs: 60_000, counts: { ok: 10, refused: 2, reset: 0 }, faultsDone: 1, faultsPlanned: 3, violations: 1 }), /\[ +5s\/60s\] requests 12 ok 10 refused 2 \| faults 1\/3 \| violations 1/);
  assert.equal(formatEvent(0, { at: 1500, type: 'cop-exit', pid: 7, code: null, signal: 'SIGKILL', restartInMs: 1000 }), '+1.5s cop 7 exited (signal SIGKILL); restarting in 1000 ms');
  assert.equal(formatEvent(0, { at: 0, type: 'unknown' }), null);
});
