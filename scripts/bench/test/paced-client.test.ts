// The paced client against a local server: requests go out on schedule, latency counts from when each
// was due (a server that holds a request shows it), keep-alive reuses connections and honours
// `Connection: close` (node scripts/run-tests.mjs bench).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { test } from 'node:test';
import { startPaced } from '../lib/paced-client.js';
import { windowOverSteady } from '../lib/rolling-render.js';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number; sockets: Set<unknown> }> {
  const server = createServer(handler);
  const sockets = new Set<unknown>();
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

test('paced: one request due every 1000/rate ms, all answered, with the PID the body names; keep-alive reuses a few connections', async () => {
  let n = 0;
  const { server, port, sockets } = await serve((_req, res) => {
    n++;
    // Every 20th response closes its connection: the client must open another, not fail.
    if (n % 20 === 0) res.setHeader('connection', 'close');
    res.end('ok pid=4242\n');
  });
  const run = startPaced({ port, rate: 200, keepAlive: true });
  await new Promise((r) => setTimeout(r, 500));
  const samples = await run.stop();
  server.close();
  assert.ok(samples.length >= 80 && samples.length <= 110, `about 100 requests in 500 ms at 200/s, got ${samples.length}`);
  assert.ok(samples.every((s) => s.outcome === '200' && s.latencyMs !== null && s.pid === 4242));
  const gaps = samples.slice(1).map((s, i) => s.dueAt - samples[i]!.dueAt);
  assert.ok(gaps.every((g) => Math.abs(g - 5) < 0.01), 'due every 5 ms');
  assert.ok(sockets.size < samples.length / 5, `connections reused (${sockets.size} for ${samples.length})`);
});

test('paced: a server that holds requests shows in the latency of every request due meanwhile', async () => {
  const { server, port } = await serve((_req, res) => res.end('ok pid=1\n'));
  const run = startPaced({ port, rate: 500, keepAlive: false });
  await new Promise((r) => setTimeout(r, 100));
  const blockedFrom = performance.now();
  const end = blockedFrom + 80;
  while (performance.now() < end) {
    // the client's own loop is blocked too: latency counts from the due time, not from the send
  }
  await new Promise((r) => setTimeout(r, 100));
  const samples = await run.stop();
  server.close();
  const held = samples.filter((s) => s.dueAt >= blockedFrom && s.dueAt < blockedFrom + 10);
  assert.ok(held.length >= 3);
  assert.ok(held.every((s) => s.latencyMs! >= 65), `held ~80 ms: ${held.map((s) => s.latencyMs!.toFixed(1)).join(' ')}`);
  assert.ok(samples.every((s) => s.outcome === '200'));
});

test('window p99 over steady p99', () => {
  assert.equal(windowOverSteady(10, 5), 2);
  assert.equal(windowOverSteady(null, 5), null);
  assert.equal(windowOverSteady(3, 0), null);
});
