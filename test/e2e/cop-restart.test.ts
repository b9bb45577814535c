// A cop that dies and is started again adopts the running manager and server: same PIDs, and the
// client sees nothing.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startLoad } from '@tripod/chaos';
import { startInstance, type Instance, cleanupAll } from '../helpers/instance.js';
import { waitFor } from '@tripod/core';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

test('SIGKILL of the cop and a new cop: manager and server keep their PIDs, no request fails', async () => {
  const first = await startInstance();
  started.push(first);
  const manager = first.holder('manager');
  const server = first.holder('server');
  let ok = 0;
  const load = startLoad({ port: first.port, newConnectionWorkers: 2, keepAliveWorkers: 2, durationMs: 30_000 }, (r) => {
    if (r.outcome === 'ok') ok++;
  });
  await waitFor('load running', () => ok >= 50, 10_000);
  first.cop.kill('SIGKILL');
  await waitFor('cop.lock free', () => first.holder('cop') === null, 5000);
  const before = ok;
  await waitFor('requests served with no cop at all', () => ok >= before + 100, 10_000);

  const second = await startInstance({ dir: first.dir, port: first.port });
  started.push(second);
  await waitFor('the new cop holding cop.lock', () => second.holder('cop') === second.cop.pid, 10_000);
  await waitFor('the new cop adopting the manager', () => new RegExp(`manager\\.adopt target=${manager}`).test(second.output()), 10_000);
  const mark = ok;
  await waitFor('more requests under the new cop', () => ok >= mark + 100, 10_000);
  load.stop();
  const summary = await load.done;
  assert.equal(summary.total - summary.counts.ok, 0, JSON.stringify(summary.counts));
  assert.equal(second.holder('manager'), manager, 'the manager was adopted, not replaced');
  assert.equal(second.holder('server'), server, 'the server was left alone');
  assert.equal(await second.stop(), 0);
  for (const tier of ['cop', 'manager', 'server'] as const) assert.equal(second.holder(tier), null);
});

test('an adopted manager that dies is logged as a manager exit by the cop that adopted it, and replaced', async () => {
  const first = await startInstance();
  started.push(first);
  const manager = first.holder('manager')!;
  first.cop.kill('SIGKILL');
  await waitFor('cop.lock free', () => first.holder('cop') === null, 5000);
  const second = await startInstance({ dir: first.dir, port: first.port });
  started.push(second);
  await waitFor('the new cop adopting the manager', () => new RegExp(`manager\\.adopt target=${manager}`).test(second.output()), 10_000);
  process.kill(manager, 'SIGKILL');
  await waitFor('manager.exit logged for the adopted manager', () => new RegExp(`manager\\.exit target=${manager}\\b.*adopted`).test(second.output()), 10_000);
  await waitFor('a new manager holding manager.lock', () => { const h = second.holder('manager'); return h !== null && h !== manager; }, 15_000);
  assert.equal(await second.stop(), 0);
});
