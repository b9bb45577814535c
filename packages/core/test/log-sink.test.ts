// The sink's two formats without a logging framework: the readable stderr line and the JSON file line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { consoleLine, createSink, entryOf, safeJson } from '../src/log/sink.js';

test('the console line: time, tier[pid], level, event, then the fields as key=value', () => {
  const entry = entryOf('cop', 'warn', 'heartbeat.fail', { timestamp: '2026-11-28T01:02:03.456Z', target: 42, targetTier: 'server', n: 2, error: 'no answer', listen: ['a:1'] });
  assert.equal(consoleLine(entry, false), `01:02:03.456 cop[${process.pid}] warn heartbeat.fail target=42 targetTier=server n=2 error=no answer listen=["a:1"]`);
  assert.match(consoleLine(entry, true), /^<4>01:02:03\.456 cop\[/, 'under the journal: its priority first');
});

test('the JSON line carries tier, pid, the fields, level and event; cycles and bigints never throw', () => {
  const entry = entryOf('manager', 'info', 'server.spawn', { timestamp: 't', target: 7 });
  assert.deepEqual(JSON.parse(safeJson(entry)), { tier: 'manager', pid: process.pid, timestamp: 't', target: 7, level: 'info', message: 'server.spawn' });
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  assert.equal(safeJson({ cyclic, big: 10n }), '{"cyclic":{"a":1,"self":"[Circular]"},"big":"10"}');
});

test('a sink with a file writes one JSON line per entry and closes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-sink-'));
  try {
    const sink = createSink({ tier: 'cop', file: join(dir, 'logs', 'cop.log'), level: 'info', console: false });
    sink.write('info', 'cop.start', { timestamp: 't1' });
    sink.write('error', 'cop.stalled', { timestamp: 't2', ms: 5 });
    await sink.close();
    const lines = readFileSync(join(dir, 'logs', 'cop.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => [l.message, l.level]), [['cop.start', 'info'], ['cop.stalled', 'error']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
