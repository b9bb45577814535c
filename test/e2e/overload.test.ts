// Overload is not a hang (issue 13): a server that makes progress is never killed for being slow, and
// fails no request the bare application would not fail; real hangs (a spinning handler) are still
// replaced within the bound, under the same load; requests that never complete are reported, not killed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startLoad, type LoadSummary } from '@tripod/chaos';
import { freePort, isStillAlive, waitFor } from '@tripod/core';
import { httpGet, servingPid } from '../helpers/http.js';
import { cleanEnv, cleanupAll, FIXTURES, startInstance, type Instance, holderOf } from '../helpers/instance.js';
import { tripod } from './ctl-run.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

const CPU_APP = join(FIXTURES, 'cpu-heavy.mjs');
const CLIENTS = 64;
const LOAD_MS = 8000;
/** Defaults, but a 1 s start grace so the whole load runs after it (today's default is 5 s). */
const DEFAULTS_SHORT_GRACE = ['--start-grace-ms', '1000'];
/** The hang bound on the defaults, as in hang.test.ts. */
const BOUND_MS = 12_000;

const failures = (s: LoadSummary) => s.total - s.counts.ok;
const load = (port: number) => startLoad({ port, keepAliveWorkers: CLIENTS, newConnectionWorkers: 0, durationMs: LOAD_MS, timeoutMs: 30_000 });

interface CopView {
  kills?: Record<string, Record<string, number>>;
  server?: { pid: number; verdict: string; liveness: { lagMs: number; inflight: number; oldestInflightMs: number } | null } | null;
}
function copStatus(inst: Instance): CopView {
  try {
    return JSON.parse(readFileSync(inst.paths.copStatusFile, 'utf8')) as CopView;
  } catch {
    return {};
  }
}

/** Serves the application bare (plain node http) under the same load: the reference. */
async function bareRun(): Promise<LoadSummary> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(FIXTURES, 'bare-server.mjs'), CPU_APP, String(port)], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    });
    return await load(port).done;
  } finally {
    child.kill('SIGKILL');
  }
}

test(`${CLIENTS} keep-alive clients on a 20 ms-CPU handler: no kill, no failure beyond bare, overload visible`, async () => {
  const bare = await bareRun();
  const inst = await startInstance({ fast: false, args: ['--app', CPU_APP, ...DEFAULTS_SHORT_GRACE] });
  started.push(inst);
  const serverPid = inst.holder('server');
  const managerPid = inst.holder('manager');
  await waitFor('the cop judging the server', () => copStatus(inst).server?.pid === serverPid, 15_000, 100);

  const running = load(inst.port);
  const verdicts = new Set<string>();
  let maxLagMs = 0;
  const sampler = setInterval(() => {
    const view = copStatus(inst).server;
    if (view?.verdict) verdicts.add(view.verdict);
    maxLagMs = Math.max(maxLagMs, view?.liveness?.lagMs ?? 0);
  }, 200);
  // Wait (at most the load's length) until the cop has seen the overload, then read what operators see.
  await waitFor('the cop reporting the server busy', () => verdicts.has('busy'), LOAD_MS, 100).catch(() => undefined);
  const metrics = await tripod(['metrics', '--runtime-dir', inst.dir], { timeoutMs: 10_000 });
  const summary = await running.done;
  clearInterval(sampler);

  const report = `bare: ${JSON.stringify(bare)}\ntripod: ${JSON.stringify(summary)}\nverdicts: ${[...verdicts]}, max lag ${maxLagMs} ms`;
  assert.ok(bare.total > 50 && summary.total > 50, `both served the load\n${report}`);
  assert.equal(inst.holder('server'), serverPid, `the server was never replaced\n${report}\n${inst.output()}`);
  assert.equal(inst.holder('manager'), managerPid, 'the manager was never replaced');
  assert.deepEqual(copStatus(inst).kills ?? {}, {}, 'the cop killed nothing');
  assert.doesNotMatch(inst.output(), /kill\.decide/);
  assert.ok(failures(summary) <= failures(bare), `no failure beyond bare\n${report}`);
  assert.ok(verdicts.has('busy'), `the overload was reported as busy\n${report}`);
  assert.ok(maxLagMs >= 200, `the event-loop lag was visible\n${report}`);
  assert.match(metrics.stdout, /tripod_server_event_loop_lag_seconds \d/);
  assert.match(metrics.stdout, /tripod_server_verdict\{verdict="busy"\} 1/);
});

test('under the same overload, a handler that spins forever, then a SIGSTOP, are still replaced within the bound', async () => {
  const inst = await startInstance({ fast: false, args: ['--app', CPU_APP, ...DEFAULTS_SHORT_GRACE] });
  started.push(inst);
  const server = await holderOf(inst, 'server');
  await waitFor('the cop judging the server', () => copStatus(inst).server?.pid === server.pid, 15_000, 100);
  const running = startLoad({ port: inst.port, keepAliveWorkers: 32, newConnectionWorkers: 0, durationMs: 20_000, timeoutMs: 30_000 });
  try {
    const spunAt = Date.now();
    void httpGet(inst.port, '/spin', '127.0.0.1', 30_000).catch(() => undefined);
    // Defaults: progress older than 2 s is a hang, checks every 1 s, then SIGTERM, 1.5 s of kill grace,
    // SIGKILL and the warm standby: the bound of hang.test.ts, which this load must not stretch.
    await waitFor('the spinning server gone and replaced', async () => !isStillAlive(server) && inst.holder('server') !== null, BOUND_MS, 100);
    const replacedMs = Date.now() - spunAt;
    assert.ok(replacedMs < BOUND_MS, `replaced after ${replacedMs} ms`);
    assert.match(inst.output(), /kill\.decide .*targetTier=server .*reason=no progress for/);
    // cop-status.json is written at the end of the cycle that killed it, which may end after the server is gone.
    await waitFor('the hang kill counted in cop-status.json', () => copStatus(inst).kills?.server?.hang === 1, 5000).catch(() => undefined);
    assert.equal(copStatus(inst).kills?.server?.hang, 1);

    // The replacement, stopped while the load goes on: its liveness socket falls silent.
    const next = await holderOf(inst, 'server', 15_000);
    await waitFor('the cop judging the replacement', () => copStatus(inst).server?.pid === next.pid && copStatus(inst).server?.verdict !== 'starting', 15_000, 100);
    const stoppedAt = Date.now();
    process.kill(next.pid, 'SIGSTOP');
    await waitFor('the stopped server gone and replaced', async () => !isStillAlive(next) && inst.holder('server') !== null, BOUND_MS, 100);
    assert.ok(Date.now() - stoppedAt < BOUND_MS, `replaced after ${Date.now() - stoppedAt} ms`);
    assert.match(inst.output(), /kill\.decide .*reason=liveness socket silent for/);
    await waitFor('the hang kill counted in cop-status.json', () => copStatus(inst).kills?.server?.hang === 2, 5000).catch(() => undefined);
    assert.equal(copStatus(inst).kills?.server?.hang, 2);
    assert.equal(copStatus(inst).kills?.manager, undefined, 'the manager was left alone');
  } finally {
    running.stop();
    await running.done;
  }
});

test('requests that never complete while the loop turns: reported stalled, not killed by default', async () => {
  const inst = await startInstance({ fast: false, args: ['--app', join(FIXTURES, 'stuck.mjs'), ...DEFAULTS_SHORT_GRACE] });
  started.push(inst);
  const serverPid = inst.holder('server');
  for (let i = 0; i < 3; i++) void httpGet(inst.port, '/stuck', '127.0.0.1', 60_000).catch(() => undefined);
  const view = await waitFor('the cop reporting the server stalled', () => {
    const s = copStatus(inst).server;
    return s?.verdict === 'stalled' ? s : null;
  }, 20_000, 100);
  assert.equal(view.liveness?.inflight, 3);
  // The cop keeps judging it past twice the hang limit, and never kills it.
  await waitFor('the cop seeing a 4 s old stuck request', () => (copStatus(inst).server?.liveness?.oldestInflightMs ?? 0) >= 4000, 20_000, 200);
  assert.equal(copStatus(inst).server?.verdict, 'stalled');
  const status = await tripod(['status', '--runtime-dir', inst.dir], { timeoutMs: 10_000 });
  assert.match(status.stdout, /stalled: 3 requests in flight/);
  assert.match(inst.output(), /server\.stalled/);
  assert.equal(inst.holder('server'), serverPid);
  assert.equal(await servingPid(inst.port), serverPid);
  assert.deepEqual(copStatus(inst).kills ?? {}, {});
  // Other paths still answer (a completed request ends the "none completes" verdict; the stuck ones stay in flight).
  assert.equal((await httpGet(inst.port, '/')).body, 'ok\n');
});

test('--stall-kill-ms opts in: a server whose requests all stay stuck that long is replaced', async () => {
  const inst = await startInstance({ fast: false, args: ['--app', join(FIXTURES, 'stuck.mjs'), ...DEFAULTS_SHORT_GRACE, '--stall-kill-ms', '4000'] });
  started.push(inst);
  const server = await holderOf(inst, 'server');
  const stuckAt = Date.now();
  for (let i = 0; i < 2; i++) void httpGet(inst.port, '/stuck', '127.0.0.1', 60_000).catch(() => undefined);
  await waitFor('the stalled server gone and replaced', async () => !isStillAlive(server) && inst.holder('server') !== null, 20_000, 100);
  assert.ok(Date.now() - stuckAt >= 4000, 'not before the stall reached --stall-kill-ms');
  // The cop writes cop-status.json at the end of the cycle that killed it.
  await waitFor('the stall kill counted in cop-status.json', () => copStatus(inst).kills?.server?.stall === 1, 5000).catch(() => undefined);
  assert.equal(copStatus(inst).kills?.server?.stall, 1, inst.output());
  assert.match(inst.output(), /kill\.decide .*reason=2 requests in flight, none completed for/);
  assert.equal((await httpGet(inst.port, '/')).body, 'ok\n');
});
