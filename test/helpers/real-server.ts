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
import { identify, isStillAlive, readJsonFile, waitFor } from '@tripod/core';
import { keeperAndProgram, startExec, waitKeeperServing } from './exec.js';
import { httpGet } from './http.js';
import { FIXTURES, cleanupAll, tempDir, type Instance } from './instance.js';

const started: Instance[] = [];
const RESTARTS = 2;
const HANG_BOUND_MS = 12_000;
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

  test(`${server.name}: SIGSTOP of the program's group is found and replaced on the default timings`, { skip }, async () => {
    // Default check interval, probe deadline and failure count; a short start grace stands for a server that has run a while.
    const inst = await startExec(server.argv(), { args: [...server.args, '--start-grace-ms', '1000'], env: server.env, fast: false });
    started.push(inst);
    const first = keeperAndProgram(inst)!;
    const readyAt = Date.now();
    await waitFor('the cop probing it past the start grace', () => (readJsonFile<{ lastServerProbe?: { at: number } }>(inst.paths.copStatusFile)?.lastServerProbe?.at ?? 0) > readyAt + 1100, 10_000, 100);
    const stopped = identify(first.program)!;
    const t0 = Date.now();
    process.kill(-first.keeper, 'SIGSTOP');
    const next = await waitKeeperServing(inst, new Set([first.keeper]), 20_000);
    const ms = Date.now() - t0;
    // The Node host's bound on the same defaults (hang.test.ts); typically 4–6 s here (probe, drain, the program's boot).
    assert.ok(ms < HANG_BOUND_MS, `replaced after ${ms} ms`);
    await waitFor('the stopped program gone', () => !isStillAlive(stopped), 5000);
    assert.notEqual(next.program, first.program);
    assert.match((await httpGet(inst.port, '/')).body, server.body);
    console.log(`${server.name}: SIGSTOP to serving again in ${ms} ms`);
  });
}
