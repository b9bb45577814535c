// Invariants 2 and 5 under SIGKILL: a killed server or manager is replaced, and a client running
// through the kill sees no refused connection (the cop's sockets keep the kernel queue open).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { isStillAlive, scanInstance, waitFor } from '@tripod/core';
import { startLoad } from '@tripod/chaos';
import { servingPid } from '../helpers/http.js';
import { startInstance, type Instance, cleanupAll, holderOf } from '../helpers/instance.js';
import { askStatus } from '../helpers/status.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

/** Runs `act` while 5 clients send requests, then keeps them going until 100 more succeed. */
async function underLoad(inst: Instance, act: () => Promise<void>) {
  let ok = 0;
  const load = startLoad({ port: inst.port, newConnectionWorkers: 3, keepAliveWorkers: 2, durationMs: 30_000, timeoutMs: 10_000 }, (r) => {
    if (r.outcome === 'ok') ok++;
  });
  await waitFor('load running', () => ok >= 20, 5000);
  await act();
  const target = ok + 100;
  await waitFor('100 more successful requests', () => ok >= target, 10_000);
  load.stop();
  return load.done;
}

test('SIGKILL of the server: a new server serves within a second, nothing refused', async () => {
  const inst = await startInstance();
  started.push(inst);
  const summary = await underLoad(inst, async () => {
    const old = inst.holder('server')!;
    process.kill(old, 'SIGKILL');
    const killedAt = Date.now();
    const fresh = await waitFor('a new server answering', async () => {
      const pid = await servingPid(inst.port);
      return pid !== null && pid !== old ? pid : null;
    }, 5000, 5);
    assert.ok(Date.now() - killedAt < 1000, `new server answered after ${Date.now() - killedAt} ms`);
    await waitFor('the new server holding server.lock', () => inst.holder('server') === fresh, 5000);
  });
  assert.equal(summary.counts.refused, 0, JSON.stringify(summary.counts));
  // Only requests the killed server had already accepted may fail, and only as resets.
  assert.equal(summary.counts.timeout + summary.counts['http-5xx'] + summary.counts.error, 0, JSON.stringify(summary.counts));
  assert.ok(summary.counts.reset <= 5, JSON.stringify(summary.counts));
});

test('SIGKILL of the manager: a new manager and server, the old server gone, nothing refused', async () => {
  const inst = await startInstance();
  started.push(inst);
  const summary = await underLoad(inst, async () => {
    const oldManager = inst.holder('manager')!;
    const oldServer = await holderOf(inst, 'server');
    process.kill(oldManager, 'SIGKILL');
    const manager = await waitFor('a new manager holding its lock', () => {
      const pid = inst.holder('manager');
      return pid !== null && pid !== oldManager ? pid : null;
    }, 10_000);
    await waitFor('a new server answering', async () => {
      const pid = await servingPid(inst.port);
      return pid !== null && pid !== oldServer.pid && pid === inst.holder('server');
    }, 10_000);
    await waitFor('the old server gone', () => !isStillAlive(oldServer), 10_000);
    assert.ok(manager > 0);
  });
  assert.equal(summary.counts.refused, 0, JSON.stringify(summary.counts));
  assert.equal(summary.counts.timeout + summary.counts['http-5xx'] + summary.counts.error, 0, JSON.stringify(summary.counts));
});

test('SIGKILL of manager and server together: nothing refused while both come back', async () => {
  const inst = await startInstance();
  started.push(inst);
  const summary = await underLoad(inst, async () => {
    const oldManager = inst.holder('manager')!;
    const oldServer = inst.holder('server')!;
    process.kill(oldManager, 'SIGKILL');
    process.kill(oldServer, 'SIGKILL');
    await waitFor('a new server answering', async () => {
      const pid = await servingPid(inst.port);
      return pid !== null && pid !== oldServer;
    }, 10_000);
  });
  assert.equal(summary.counts.refused, 0, JSON.stringify(summary.counts));
  assert.equal(summary.counts.timeout + summary.counts['http-5xx'] + summary.counts.error, 0, JSON.stringify(summary.counts));
  const procs = scanInstance(inst.instance).filter((p) => p.state !== 'Z');
  assert.equal(procs.filter((p) => p.tier === 'manager').length, 1, 'exactly one manager (the cop is the test child, not marked)');
  const status = await askStatus(inst);
  const known = new Set(status.servers.map((s) => s.pid));
  assert.deepEqual(procs.filter((p) => p.tier === 'server' && !known.has(p.pid)), [], 'every server process is one the manager knows');
  assert.equal(status.servers.filter((s) => s.role === 'serving').length, 1);
});
