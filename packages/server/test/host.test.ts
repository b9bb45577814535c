import assert from 'node:assert/strict';
import { request, Agent } from 'node:http';
import { test } from 'node:test';
import { freePort, waitFor } from '@tripod/core';
import { createHost, POOL_MAX_REQUESTS_PER_SOCKET, type Host } from '../src/host.js';
import { createLiveness } from '../src/liveness/monitor.js';

/** Sends `n` requests one after another over a keep-alive agent; returns the `connection` header of each and how many sockets carried them. */
async function sequence(port: number, n: number): Promise<{ closes: number[]; sockets: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  const closes: number[] = [];
  for (let i = 1; i <= n; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        sockets.add(res.socket);
        if (res.headers.connection === 'close') closes.push(i);
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  }
  agent.destroy();
  return { closes, sockets: sockets.size };
}

async function withHost(pooled: boolean, run: (port: number, host: Host) => Promise<void>): Promise<void> {
  const liveness = createLiveness();
  const host = createHost((_req, res) => void res.end('ok'), () => undefined, liveness, { pooled });
  const port = await freePort();
  await host.listenAddress('127.0.0.1', port, 16);
  try {
    await run(port, host);
  } finally {
    await host.drain(100);
    liveness.stop();
  }
}

test('in a pool, a keep-alive connection is recycled after POOL_MAX_REQUESTS_PER_SOCKET requests (so the shared queue spreads it again)', async () => {
  await withHost(true, async (port) => {
    const { closes, sockets } = await sequence(port, POOL_MAX_REQUESTS_PER_SOCKET + 1);
    assert.deepEqual(closes, [POOL_MAX_REQUESTS_PER_SOCKET]);
    assert.equal(sockets, 2);
  });
});

test('a single server keeps a keep-alive connection as long as the client does', async () => {
  await withHost(false, async (port) => {
    const { closes, sockets } = await sequence(port, POOL_MAX_REQUESTS_PER_SOCKET + 1);
    assert.deepEqual(closes, []);
    assert.equal(sockets, 1);
  });
});

test('a server started alone that gains peers (a scale up) recycles from then on; one left alone stops', async () => {
  await withHost(false, async (port, host) => {
    host.setPooled(true);
    const grown = await sequence(port, POOL_MAX_REQUESTS_PER_SOCKET + 1);
    assert.deepEqual(grown.closes, [POOL_MAX_REQUESTS_PER_SOCKET]);
    host.setPooled(false);
    const alone = await sequence(port, POOL_MAX_REQUESTS_PER_SOCKET + 1);
    assert.deepEqual(alone.closes, []);
  });
});

test('warm-up answers heartbeats through a private listener: the application is not called, and the real listener then drains at once', async () => {
  const liveness = createLiveness();
  let appCalls = 0;
  const host = createHost((_req, res) => void (appCalls++, res.end('ok')), () => undefined, liveness, { pooled: true });
  try {
    assert.equal(await host.warmUp(10, 5000), 10);
    assert.equal(appCalls, 0);
    const port = await freePort();
    await host.listenAddress('127.0.0.1', port, 16);
    await sequence(port, 2);
    assert.equal(appCalls, 2);
    const drained = await host.drain(2000);
    assert.deepEqual([drained.outcome, drained.openConnections], ['success', 0]);
  } finally {
    liveness.stop();
  }
});

test('drain: a request in flight finishes with Connection: close, then the drain succeeds; one never answered is cut at the timeout and counted', async () => {
  const liveness = createLiveness();
  const held: Array<() => void> = [];
  const host = createHost((req, res) => void (req.url === '/never' ? undefined : held.push(() => res.end('late'))), () => undefined, liveness);
  const port = await freePort();
  await host.listenAddress('127.0.0.1', port, 16);
  const get = (path: string) =>
    new Promise<{ status: number; connection: string | undefined } | Error>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path, agent: new Agent({ keepAlive: true }) }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      });
      req.on('error', resolve);
      req.end();
    });
  try {
    const answered = get('/held');
    await waitFor('the request held by the application', () => held.length > 0, 5000, 5);
    const drained = host.drain(5000);
    held[0]!();
    assert.deepEqual(await answered, { status: 200, connection: 'close' });
    assert.deepEqual(((d) => [d.outcome, d.openConnections])(await drained), ['success', 0]);

    let reached = false;
    const host2 = createHost(() => void (reached = true), () => undefined, liveness);
    const port2 = await freePort();
    await host2.listenAddress('127.0.0.1', port2, 16);
    const never = new Promise<Error | null>((resolve) => {
      const req = request({ host: '127.0.0.1', port: port2, path: '/never' }, () => resolve(null));
      req.on('error', resolve);
      req.end();
    });
    await waitFor('the request reaching the application', () => reached, 5000, 5);
    const cut = await host2.drain(200);
    assert.deepEqual([cut.outcome, cut.openConnections], ['timeout', 1]);
    assert.ok((await never) instanceof Error, 'the client sees its connection cut');
  } finally {
    liveness.stop();
  }
});
