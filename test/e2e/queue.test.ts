// The queue is visible and overflows gracefully: while nothing accepts, connections wait in the kernel
// accept queue (depth shown in the manager's status); past the backlog the kernel drops SYNs and
// the clients retry them, so they are delayed, not refused.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { waitFor } from '@tripod/core';
import { askStatus } from '../helpers/status.js';
import { httpGet } from '../helpers/http.js';
import { startInstance, type Instance, cleanupAll } from '../helpers/instance.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

test('a queue deeper than the backlog delays clients and refuses none; status shows the depth', async () => {
  const BACKLOG = 4;
  const CLIENTS = 12;
  const inst = await startInstance({ args: ['--backlog', String(BACKLOG), '--start-grace-ms', '4000'] });
  started.push(inst);
  const server = inst.holder('server')!;
  process.kill(server, 'SIGSTOP');
  const started_ = Date.now();
  const requests = Array.from({ length: CLIENTS }, () =>
    httpGet(inst.port, '/', '127.0.0.1', 30_000).then(
      (r) => ({ ok: r.status === 200, ms: Date.now() - started_, code: null as string | null }),
      (err: NodeJS.ErrnoException) => ({ ok: false, ms: Date.now() - started_, code: err.code ?? err.message }),
    ),
  );
  const depth = await waitFor('the accept queue full, as status shows it', async () => {
    const status = await askStatus(inst, 2000);
    const row = status.listeners[0]!;
    return row.queued !== null && row.queued >= BACKLOG ? row : null;
  }, 10_000);
  assert.equal(depth.backlog, BACKLOG);
  process.kill(server, 'SIGCONT');
  const results = await Promise.all(requests);
  assert.deepEqual(results.filter((r) => !r.ok), [], 'every client was served');
  assert.ok(results.some((r) => r.ms >= 900), `some clients waited for a SYN retry: ${results.map((r) => r.ms).join(',')}`);
});
