// `tripod restart`: a graceful server restart through the control socket changes the serving PID and
// fails no request of a keep-alive load.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { startLoad } from '@tripod/chaos';
import { readStat, waitFor } from '@tripod/core';
import { servingPid } from '../helpers/http.js';
import { startInstance, type Instance, cleanupAll } from '../helpers/instance.js';
import { STEADY, tripod, waitRunning } from './ctl-run.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

test('tripod restart changes the serving PID with zero failed requests under keep-alive load', async () => {
  const inst = await startInstance({ args: STEADY });
  started.push(inst);
  await waitRunning(inst.dir);
  const before = await servingPid(inst.port);
  let ok = 0;
  const load = startLoad({ port: inst.port, newConnectionWorkers: 1, keepAliveWorkers: 3, durationMs: 25_000, maxRequests: 20_000, pauseMs: 2 }, (r) => {
    if (r.outcome === 'ok') ok++;
  });
  try {
    await waitFor('load running', () => ok >= 50, 10_000);
    const restart = await tripod(['restart', '--runtime-dir', inst.dir]);
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(restart.stderr, /via control socket/);
    const match = /^server PID (\d+) -> (\d+)$/m.exec(restart.stdout);
    assert.ok(match, restart.stdout);
    assert.equal(Number(match[1]), before);
    const after = Number(match[2]);
    assert.notEqual(after, before);
    assert.equal(await servingPid(inst.port), after, 'the new server answers');
    const mark = ok;
    await waitFor('load through the new server', () => ok >= mark + 100, 10_000);
  } finally {
    load.stop();
  }
  const summary = await load.done;
  assert.equal(summary.total - summary.counts.ok, 0, `failed requests: ${JSON.stringify(summary.counts)}`);
});

test('restart of an instance that is not running exits 7', async () => {
  const inst = await startInstance();
  started.push(inst);
  const stop = await tripod(['stop', '--runtime-dir', inst.dir]);
  assert.equal(stop.code, 0, stop.stderr);
  const result = await tripod(['restart', '--runtime-dir', inst.dir]);
  assert.equal(result.code, 7, result.stderr);
  assert.match(result.stderr, /no cop holds cop\.lock/);
});

test('when the control socket does not answer, restart falls back to SIGUSR1 to the cop, which survives it', async () => {
  const inst = await startInstance();
  started.push(inst);
  rmSync(inst.paths.controlSocket);
  const restart = await tripod(['restart', '--no-wait', '--runtime-dir', inst.dir]);
  assert.equal(restart.code, 0, restart.stderr);
  assert.match(restart.stderr, new RegExp(`via SIGUSR1 to cop PID ${inst.cop.pid} \\(the manager cannot be reached: `));
  await waitFor('the cop logging the forwarded restart', () => /control\.forward/.test(inst.output()), 10_000);
  assert.notEqual(readStat(inst.cop.pid!)?.state, 'Z', 'the cop handled SIGUSR1 instead of dying of it');
  assert.equal(inst.cop.exitCode, null);
});
