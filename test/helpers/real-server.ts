// Exec mode with real servers nobody here wrote, from Debian packages (.ci/run installs them):
// gunicorn (Python; READY=1, LISTEN_FDS, drains on SIGTERM) and lighttpd (C; socket activation, no
// sd_notify: ready by a proof probe, drains on SIGINT). Each: serve, SIGKILL under load with no refused
// connection, SIGSTOP of the program's group found and replaced on the default timings, graceful restart
// with no failed request. One test file per server (exec-gunicorn, exec-lighttpd) runs these.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startLoad } from '@tripod/chaos';
import { identify, isStillAlive, processTree, readJsonFile, readStat, waitFor } from '@tripod/core';
import { keeperAndProgram, loggedAt, startExec, tierLogEvents, waitKeeperServing } from './exec.js';
import { httpGet } from './http.js';
import { FIXTURES, cleanupAll, tempDir, type Instance } from './instance.js';

const started: Instance[] = [];
const RESTARTS = 2;
const HANG_BOUND_MS = 12_000;
/** SIGSTOP to the cop's kill decision: at most 2 s of silence, then the next 1 s check; plus a margin for this loaded 2-core machine. */
const DETECTION_BOUND_MS = 3000 + 1000;
after(async () => {
  await cleanupAll(started);
  rmSync(docroot, { recursive: true, force: true });
});

export interface RealServer {
  readonly name: string;
  readonly binary: string;
  readonly argv: () => string[];
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly body: RegExp;
  /**
   * lighttpd closes idle keep-alive connections when its graceful shutdown starts; a client that sent its
   * next request on one at that instant sees a reset (HTTP clients retry idempotent requests for exactly
   * this race; tripod's Node host avoids it by answering `Connection: close` instead). Counted, bounded.
   */
  readonly closesIdleKeepAlive?: boolean;
}

const docroot = tempDir('tripod-www-');
mkdirSync(docroot, { recursive: true });
writeFileSync(join(docroot, 'index.html'), 'served by lighttpd under tripod\n');

const SERVERS: RealServer[] = [
  {
    name: 'gunicorn',
    binary: '/usr/bin/gunicorn',
    argv: () => ['/usr/bin/gunicorn', '--workers', '2', '--graceful-timeout', '10', 'wsgi_app:app'],
    args: ['--exec-cwd', join(FIXTURES, 'exec')],
    body: /^gunicorn pid=\d+ path=\/$/m,
  },
  {
    name: 'lighttpd',
    binary: '/usr/sbin/lighttpd',
    argv: () => ['/usr/sbin/lighttpd', '-D', '-f', join(FIXTURES, 'exec/lighttpd.conf')],
    args: ['--ready', 'http:/', '--stop-signal', 'SIGINT'],
    env: { FIXTURE_DOCROOT: docroot },
    body: /^served by lighttpd under tripod$/m,
    closesIdleKeepAlive: true,
  },
];

/** Defines the real-server tests for the server named `name`. */
export function realServerTests(name: 'gunicorn' | 'lighttpd'): void {
  const server = SERVERS.find((s) => s.name === name)!;
  const skip = existsSync(server.binary) ? false : `${server.binary} is not installed (Debian package ${server.name}; .ci/run installs it)`;

  test(`${server.name}: serves, SIGKILL under load refuses nothing, graceful restarts fail nothing`, { skip }, async () => {
    const inst = await startExec(server.argv(), { args: [...server.args], env: server.env });
    started.push(inst);
    assert.match((await httpGet(inst.port, '/')).body, server.body);
    let ok = 0;
    let phase = 'kill';
    const failures: Record<string, string[]> = { kill: [], restart: [] };
    const load = startLoad({ port: inst.port, newConnectionWorkers: 3, keepAliveWorkers: 3, durationMs: 60_000, timeoutMs: 10_000 }, (r) => {
      if (r.outcome === 'ok') ok++;
      else failures[phase]!.push(`${r.outcome}/${r.mode}`);
    });
    await waitFor('load running', () => ok >= 50, 10_000);
    const first = keeperAndProgram(inst)!;
    process.kill(first.program, 'SIGKILL');
    const second = await waitKeeperServing(inst, new Set([first.keeper]));
    const afterKill = ok;
    await waitFor('load through the new program', () => ok >= afterKill + 100, 15_000);
    // Graceful restarts: a new program ready, then the old one drains.
    phase = 'restart';
    const seen = new Set([first.keeper, second.keeper]);
    for (let i = 0; i < RESTARTS; i++) {
      inst.cop.kill('SIGUSR1');
      const next = await waitKeeperServing(inst, seen);
      seen.add(next.keeper);
      const mark = ok;
      await waitFor('load through the restarted program', () => ok >= mark + 100, 15_000);
    }
    load.stop();
    const summary = await load.done;
    assert.equal(summary.counts.refused, 0, `refused: ${JSON.stringify(summary.counts)}`);
    // The SIGKILL may reset the connections its program had accepted at that instant (invariant 2): at most one per load worker.
    assert.ok(failures.kill!.every((f) => f.startsWith('reset/')) && failures.kill!.length <= 6, `across the SIGKILL: ${failures.kill!.join(', ')}`);
    if (server.closesIdleKeepAlive) {
      const other = failures.restart!.filter((f) => f !== 'reset/keep-alive');
      assert.deepEqual(other, [], 'only idle keep-alive connections closed by the draining program');
      assert.ok(failures.restart!.length <= 3 * RESTARTS, `keep-alive resets: ${failures.restart!.length}`);
      console.log(`${server.name}: ${failures.restart!.length} keep-alive resets over ${RESTARTS} graceful restarts (${summary.total} requests)`);
    } else assert.deepEqual(failures.restart, [], 'a graceful restart fails nothing');
    assert.equal(await inst.stop(), 0);
  });

  test(`${server.name}: SIGSTOP of the program's group is found within the bound and replaced on the default timings`, { skip }, async (t) => {
    // Default check interval, probe deadline and failure count; a short start grace stands for a server that has run a while.
    const inst = await startExec(server.argv(), { args: [...server.args, '--start-grace-ms', '1000'], env: server.env, fast: false });
    started.push(inst);
    const first = keeperAndProgram(inst)!;
    const readyAt = Date.now();
    await waitFor('the cop probing it past the start grace', () => (readJsonFile<{ lastServerProbe?: { at: number } }>(inst.paths.copStatusFile)?.lastServerProbe?.at ?? 0) > readyAt + 1100, 10_000, 100);
    const stopped = identify(first.program)!;
    const oldPids = new Set(processTree(first.keeper));
    process.kill(-first.keeper, 'SIGSTOP');
    const t0 = Date.now();
    await waitFor('the group stopped', () => [...oldPids].every((pid) => readStat(pid)?.state === 'T'), 2000, 1);
    // The service is back at the first answer from the new program (requests sent meanwhile wait in the queue).
    const back = firstAnswer(inst.port, server, oldPids);
    const next = await waitKeeperServing(inst, new Set([first.keeper]), 20_000);
    const answeredMs = (await back) - t0;
    // The logs are written asynchronously: wait for both records.
    const [decision, exit] = await waitFor('the kill decision and the keeper\'s exit logged', () => {
      const d = tierLogEvents(inst, 'cop', 'kill.decide').find((r) => r.target === first.keeper);
      const e = tierLogEvents(inst, 'manager', 'server.exit').find((r) => r.target === first.keeper);
      return d && e ? [d, e] : null;
    }, 5000, 50);
    const detectionMs = loggedAt(decision) - t0;
    const killedMs = loggedAt(exit) - t0;
    t.diagnostic(`${server.name}: SIGSTOP → kill decision ${detectionMs} ms, → keeper's group gone ${killedMs} ms, → first answer from the new program ${answeredMs} ms`);
    assert.ok(detectionMs <= DETECTION_BOUND_MS, `kill decided ${detectionMs} ms after the SIGSTOP: ${JSON.stringify(decision)}`);
    // The new program's own start-up (gunicorn's Python boot) comes on top: the Node host's 12 s bound for the whole (hang.test.ts).
    assert.ok(answeredMs < HANG_BOUND_MS, `answering again after ${answeredMs} ms`);
    await waitFor('the stopped program gone', () => !isStillAlive(stopped), 5000);
    assert.notEqual(next.program, first.program);
    assert.match((await httpGet(inst.port, '/')).body, server.body);
  });
}

/**
 * When the first answer from a program other than the stopped one arrived: a GET every 25 ms, each
 * waiting as long as it takes (the queue holds it). gunicorn names the worker that answered, so an
 * answer from the old program (resumed to drain) is told apart and not counted.
 */
async function firstAnswer(port: number, server: RealServer, oldPids: ReadonlySet<number>): Promise<number> {
  let answeredAt = 0;
  const pending: Promise<void>[] = [];
  const deadline = Date.now() + HANG_BOUND_MS + 5000;
  while (answeredAt === 0 && Date.now() < deadline) {
    pending.push(httpGet(port, '/', '127.0.0.1', 20_000).then((reply) => {
      const worker = Number(/pid=(\d+)/.exec(reply.body)?.[1] ?? 0);
      if (answeredAt === 0 && reply.status === 200 && server.body.test(reply.body) && !oldPids.has(worker)) answeredAt = Date.now();
    }, () => undefined));
    await new Promise((r) => setTimeout(r, 25));
  }
  await Promise.all(pending);
  return answeredAt;
}
