// Exec mode against small fixture programs, the ways a program ends: one that ignores its stop signal,
// one that daemonizes, the watchdog, SIGKILL and SIGSTOP. Start-up and protocol: exec-protocol.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { isStillAlive, identify, readEnviron, scanInstance, waitFor } from '@tripod/core';
import { SD_SERVER, keeperAndProgram, serverLogEvents, startExec, waitKeeperServing } from '../helpers/exec.js';
import { httpGet } from '../helpers/http.js';
import { cleanupAll, type Instance } from '../helpers/instance.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

const node = process.execPath;

test('a program that ignores its stop signal is SIGKILLed after the drain timeout', async () => {
  const inst = await startExec([node, SD_SERVER, '--ignore-term'], { args: ['--no-standby', '--drain-timeout-ms', '1500'] });
  started.push(inst);
  const who = identify(keeperAndProgram(inst)!.program)!;
  const t0 = Date.now();
  assert.equal(await inst.stop(15_000), 0);
  assert.ok(Date.now() - t0 >= 1400, `stopped after ${Date.now() - t0} ms`);
  assert.equal(isStillAlive(who), false);
  assert.match(readFileSync(`${inst.dir}/logs/server-exec.log`, 'utf8'), /ignoring SIGTERM/);
  assert.equal(serverLogEvents(inst, 'server.drained')[0]?.outcome, 'timeout');
});

test('a program that forks a child and exits is a death: the child is killed, the program started again', async () => {
  const inst = await startExec([node, SD_SERVER, '--daemonize'], { args: ['--no-standby'], ready: false });
  started.push(inst);
  await waitFor('two programs started', () => serverLogEvents(inst, 'exec.start').length >= 2, 15_000, 100);
  await waitFor('the leftovers killed', () => serverLogEvents(inst, 'exec.kill').some((r) => r.reason === 'left behind by the program'), 5000);
  assert.equal(await inst.stop(), 0);
  assert.deepEqual(scanInstance(inst.instance).filter((p) => p.state !== 'Z'), [], 'no daemonized child survives');
});

test('--exec-watchdog-ms: a program that sends WATCHDOG=1 lives, one that does not is killed', async () => {
  // The fed program pings every 750 ms for a 3 s watchdog: a loaded machine may delay a ping, not four.
  const fed = await startExec([node, SD_SERVER, '--watchdog'], { args: ['--no-standby', '--exec-watchdog-ms', '3000'] });
  started.push(fed);
  const unfed = await startExec([node, SD_SERVER], { args: ['--no-standby', '--exec-watchdog-ms', '600'], ready: false });
  started.push(unfed);
  await waitFor('the unfed program killed by its keeper', () => serverLogEvents(unfed, 'exec.kill').some((r) => String(r.reason).includes('WATCHDOG')), 10_000, 100);
  assert.equal(readEnviron(keeperAndProgram(fed)!.program)?.get('WATCHDOG_USEC'), '3000000');
  assert.deepEqual(serverLogEvents(fed, 'exec.kill'), [], 'the fed program was never killed');
  assert.equal(serverLogEvents(fed, 'exec.start').length, 1);
});

test('SIGKILL of the program: the keeper dies the same way, a new program serves; SIGSTOP of the group: found and replaced', async () => {
  const inst = await startExec([node, SD_SERVER], { args: ['--start-grace-ms', '500'] });
  started.push(inst);
  const first = keeperAndProgram(inst)!;
  process.kill(first.program, 'SIGKILL');
  const second = await waitKeeperServing(inst, new Set([first.keeper]));
  assert.ok(/server\.exit .*signal=SIGKILL/.test(inst.output()), 'the manager saw the program\'s signal');
  const stopped = identify(second.keeper)!;
  process.kill(-second.keeper, 'SIGSTOP');
  const t0 = Date.now();
  const third = await waitKeeperServing(inst, new Set([first.keeper, second.keeper]), 15_000);
  assert.ok(Date.now() - t0 < 8000, `replaced after ${Date.now() - t0} ms`);
  await waitFor('the stopped keeper gone', () => !isStillAlive(stopped), 5000);
  assert.equal((await httpGet(inst.port, '/')).body.startsWith(`exec-fixture pid=${third.program}`), true);
});

test('SIGSTOP of the program alone (its keeper runs on): its proofs go stale, the cop replaces it', async () => {
  const inst = await startExec([node, SD_SERVER], { args: ['--start-grace-ms', '500'] });
  started.push(inst);
  const first = keeperAndProgram(inst)!;
  const stopped = identify(first.program)!;
  process.kill(first.program, 'SIGSTOP');
  const t0 = Date.now();
  const next = await waitKeeperServing(inst, new Set([first.keeper]), 20_000);
  assert.ok(Date.now() - t0 < 12_000, `replaced after ${Date.now() - t0} ms`);
  await waitFor('the stopped program gone', () => !isStillAlive(stopped), 5000);
  assert.match(inst.output(), /showed no progress for \d+ ms/, 'the keeper said why');
  assert.equal((await httpGet(inst.port, '/')).body.startsWith(`exec-fixture pid=${next.program}`), true);
});
