// askLine: one line out, one line back, over a real unix socket; every way it can end without an answer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { askLine } from '../src/net/ask-line.js';

const dir = mkdtempSync(join(tmpdir(), 'tripod-ask-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function serve(name: string, onSocket: (s: Socket) => void): Promise<{ path: string; close(): void }> {
  const path = join(dir, name);
  const server = createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, close: () => server.close() };
}

test('the request line goes out with its newline; the first answer line comes back without it', async () => {
  const s = await serve('echo', (sock) => sock.once('data', (d) => sock.write(`got ${String(d).trim()}\nsecond\n`)));
  const r = await askLine(s.path, { request: 'hello', timeoutMs: 2000 });
  s.close();
  assert.equal(r.ok && r.line, 'got hello');
});

test('no answer in time is a timeout; a close before a line is closed; a line past maxLine is too long; no socket is an error', async () => {
  const silent = await serve('silent', () => undefined);
  const closer = await serve('closer', (sock) => sock.end());
  const flood = await serve('flood', (sock) => sock.write('x'.repeat(100)));
  const kinds = await Promise.all([
    askLine(silent.path, { request: null, timeoutMs: 100 }),
    askLine(closer.path, { request: null, timeoutMs: 2000 }),
    askLine(flood.path, { request: null, timeoutMs: 2000, maxLine: 50 }),
    askLine(join(dir, 'nobody'), { request: 'x', timeoutMs: 2000 }),
  ]);
  for (const s of [silent, closer, flood]) s.close();
  assert.deepEqual(kinds.map((r) => (r.ok ? 'ok' : r.kind)), ['timeout', 'closed', 'too-long', 'error']);
  const error = kinds[3]!;
  assert.equal(!error.ok && error.kind === 'error' && error.code, 'ENOENT');
});
