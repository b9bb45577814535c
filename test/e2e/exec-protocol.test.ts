// Exec mode, one protocol feature at a time, against small fixture programs: socket activation
// (LISTEN_FDS, LISTEN_PID = the program's own PID), READY=1 late or never, MAINPID=, the output log;
// the lock names the program, its keeper holds it. Deaths and stops: exec-death.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { after, test } from 'node:test';
import { isStillAlive, identify, readEnviron, scanInstance, waitFor } from '@tripod/core';
import { SD_SERVER, groupOf, keeperAndProgram, serverLogEvents, startExec } from '../helpers/exec.js';
import { httpGet } from '../helpers/http.js';
import { BIN, cleanEnv, cleanupAll, type Instance } from '../helpers/instance.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

const node = process.execPath;
const at = (record: Record<string, unknown> | undefined) => Date.parse(String(record?.timestamp));

test('a socket-activated program serves on fd 3 as its own LISTEN_PID; server.lock names it, its keeper holds it; stop leaves nothing', async () => {
  const inst = await startExec([node, SD_SERVER], { args: ['--no-standby'] });
  started.push(inst);
  const { keeper, program } = keeperAndProgram(inst)!;
  const reply = await httpGet(inst.port, '/');
  assert.equal(reply.body, `exec-fixture pid=${program} names=tcp-${inst.port}\n`, 'answered by the program itself, which checked LISTEN_PID');
  assert.notEqual(keeper, program);
  assert.equal(groupOf(program), keeper, 'the program runs in the group its keeper leads');
  const env = readEnviron(program)!;
  assert.equal(env.get('TRIPOD_INSTANCE'), inst.instance);
  assert.equal(env.get('TRIPOD_TIER'), 'server');
  assert.equal(env.get('LISTEN_FDS'), '1');
  assert.match(env.get('NOTIFY_SOCKET') ?? '', /notify-\d+\.sock$/);
  assert.match(readFileSync(`${inst.dir}/logs/server-exec.log`, 'utf8'), new RegExp(`fixture ${program} serving`), 'stdout captured');
  const status = spawnSync(node, [BIN.tripod, 'status', '--runtime-dir', inst.dir], { encoding: 'utf8', env: cleanEnv() });
  assert.equal(status.status, 0, status.stdout + status.stderr);
  assert.match(status.stdout, new RegExp(`server +${keeper} +serving`), 'the keeper is the server tripod status shows');
  assert.match(status.stdout, new RegExp(`keeper; it runs program PID ${program}`));
  assert.doesNotMatch(status.stdout, /hold no lock/, 'the program is not a stray');
  const who = identify(program)!;
  assert.equal(await inst.stop(), 0);
  assert.equal(isStillAlive(who), false);
  assert.deepEqual(scanInstance(inst.instance).filter((p) => p.state !== 'Z'), []);
});

test('READY=1 sent late: the keeper reports ready and takes server.lock only then', async () => {
  const inst = await startExec([node, SD_SERVER, '--ready-after', '1500'], { args: ['--no-standby'] });
  started.push(inst);
  const start = serverLogEvents(inst, 'exec.start')[0];
  const ready = serverLogEvents(inst, 'server.ready')[0];
  const locked = serverLogEvents(inst, 'server.locked')[0];
  assert.ok(at(ready) - at(start) >= 1400, `ready ${at(ready) - at(start)} ms after start`);
  assert.ok(at(locked) >= at(ready));
});

test('never READY=1: killed at the launch timeout and started again; server.lock never taken', async () => {
  const inst = await startExec([node, SD_SERVER, '--never-ready'], { args: ['--no-standby', '--launch-timeout-ms', '1200'], ready: false });
  started.push(inst);
  await waitFor('two programs started', () => serverLogEvents(inst, 'exec.start').length >= 2, 15_000, 100);
  const first = Number(serverLogEvents(inst, 'exec.start')[0]!.programPid);
  await waitFor('the first program gone', () => identify(first) === null, 5000);
  assert.equal(serverLogEvents(inst, 'server.locked').length, 0);
  assert.match(inst.output(), /launch/);
});

test('never READY=1 but --ready tcp: ready once a connection is proven accepted by the program', async () => {
  const inst = await startExec([node, SD_SERVER, '--never-ready'], { args: ['--no-standby', '--ready', 'tcp'] });
  started.push(inst);
  const { program } = keeperAndProgram(inst)!;
  assert.equal((await httpGet(inst.port, '/')).body.startsWith(`exec-fixture pid=${program}`), true);
  assert.equal(serverLogEvents(inst, 'server.ready')[0]?.via, 'tcp');
});

test("the program's output goes to server-exec.log, reopened after a logrotate-style rename and SIGHUP", async () => {
  const inst = await startExec([node, SD_SERVER, '--log-requests'], { args: ['--no-standby'] });
  started.push(inst);
  const log = `${inst.dir}/logs/server-exec.log`;
  await httpGet(inst.port, '/before');
  await waitFor('the first request logged', () => readFileSync(log, 'utf8').includes('request /before'), 5000);
  renameSync(log, `${log}.1`);
  inst.cop.kill('SIGHUP');
  await waitFor('the log reopened and the next request in it', async () => {
    await httpGet(inst.port, '/after');
    return existsSync(log) && readFileSync(log, 'utf8').includes('request /after');
  }, 10_000, 200);
  await httpGet(inst.port, '/final');
  await waitFor('the next request in the new file', () => readFileSync(log, 'utf8').includes('request /final'), 5000);
  assert.doesNotMatch(readFileSync(`${log}.1`, 'utf8'), /request \/final/, 'nothing written to the renamed file after the reopen');
});

test('MAINPID= is believed only for the program\'s own marked tree, never for another process', async () => {
  const inst = await startExec([node, SD_SERVER, '--mainpid'], { args: ['--no-standby'] });
  started.push(inst);
  const { keeper, program } = keeperAndProgram(inst)!;
  await waitFor('both claims logged', () => serverLogEvents(inst, 'exec.mainpid').length >= 2, 5000);
  const claims = serverLogEvents(inst, 'exec.mainpid').map((r) => [r.claimed, r.accepted]);
  assert.deepEqual(claims, [[program, true], [keeper, false]]);
  assert.equal(keeperAndProgram(inst)!.program, program, 'supervision stays with the PID the keeper started');
});
