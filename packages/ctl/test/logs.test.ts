import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Follower } from '../src/logs/follow.js';
import { formatLogLine, mergeByTime } from '../src/logs/format.js';
import { tailLines } from '../src/logs/tail.js';

const dir = mkdtempSync(join(tmpdir(), 'tripod-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const line = (ms: number, tier: string, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level: 'info', message, pid: 7, tier, timestamp: new Date(ms).toISOString(), ...extra });

test('a JSON line reads as time, tier[pid], level, event and fields; other lines pass unchanged', () => {
  const rec = formatLogLine(line(Date.UTC(2026, 0, 2, 3, 4, 5, 6), 'cop', 'manager.spawn', { target: 12, note: 'two words' }));
  assert.equal(rec.text, '2026-01-02 03:04:05.006 cop[7] info manager.spawn target=12 note="two words"');
  assert.equal(formatLogLine('not json').text, 'not json');
});

test('records from several files merge by time, lines without a time stay after their predecessor', () => {
  const a = ['x1', 'x3'].map((m, i) => formatLogLine(line(1000 + i * 2000, 'cop', m)));
  const b = [formatLogLine(line(2000, 'server', 'y2')), formatLogLine('plain')];
  assert.deepEqual(mergeByTime([a, b]).map((r) => r.raw.includes('"message"') ? JSON.parse(r.raw).message : r.raw), ['x1', 'y2', 'plain', 'x3']);
});

test('tailLines returns the last n lines, across block boundaries', () => {
  const path = join(dir, 'big.log');
  writeFileSync(path, Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n') + '\n');
  const { lines } = tailLines(path, 3);
  assert.deepEqual(lines.map((l) => l.split(' ')[1]), ['4997', '4998', '4999']);
  assert.deepEqual(tailLines(join(dir, 'missing.log'), 3).lines, []);
});

test('the follower reads appended lines, survives a rename and reopen, and a truncation', () => {
  const path = join(dir, 'cop.log');
  writeFileSync(path, 'old\n');
  const f = new Follower(path, 4);
  appendFileSync(path, 'one\ntw');
  assert.deepEqual(f.poll(), ['one']);
  appendFileSync(path, 'o\n');
  renameSync(path, `${path}.1`); // logrotate
  appendFileSync(`${path}.1`, 'three, written to the old file before the reopen\n');
  assert.deepEqual(f.poll(), ['two', 'three, written to the old file before the reopen']);
  writeFileSync(path, 'four, in the new file\n');
  assert.deepEqual(f.poll(), ['four, in the new file']);
  appendFileSync(path, 'five\n');
  assert.deepEqual(f.poll(), ['five']);
  truncateSync(path, 0); // copytruncate
  appendFileSync(path, 'six\n');
  assert.deepEqual(f.poll(), ['six']);
  f.close();
});
