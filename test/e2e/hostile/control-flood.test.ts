// A client flooding the control socket (hundreds of idle connections, requests pipelined and never
// read, garbage lines) never makes the cop's ping fail: the healthy manager is not killed.
import assert from 'node:assert/strict';
import { createConnection, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { controlRequest, readJsonFile, waitFor } from '@tripod/core';
import { startInstance, type Instance, cleanupAll } from '../../helpers/instance.js';

const started: Instance[] = [];
const sockets: Socket[] = [];
after(async () => {
  for (const s of sockets) s.destroy();
  await cleanupAll(started);
});

interface CopStatusDoc {
  lastPing: { at: number } | null;
  kills: Record<string, unknown>;
  managerStarts: number;
}

test('a flood of connections, unread pipelined requests and garbage never makes the cop\'s ping fail', async () => {
  const inst = await startInstance();
  started.push(inst);
  const manager = inst.holder('manager');
  const path = inst.paths.controlSocket;
  const until = Date.now() + 4000; // 16 check cycles at 250 ms, each with two-failure detection
  const open = () => {
    const s = createConnection(path);
    s.on('error', () => undefined);
    sockets.push(s);
    return s;
  };
  const flood = (async () => {
    let rounds = 0;
    while (Date.now() < until) {
      for (let i = 0; i < 50; i++) open(); // idle connections
      const reader = open(); // pipelines status requests, never reads
      reader.pause();
      reader.write('{"cmd":"status"}\n'.repeat(500));
      open().write('garbage\n{"cmd":\n' + 'x'.repeat(70_000)); // malformed, then an over-long line
      rounds++;
      await new Promise((r) => setTimeout(r, 50));
      for (const s of sockets.splice(0, Math.max(0, sockets.length - 400))) s.destroy();
    }
    return rounds;
  })();
  let pingsDuringFlood = 0;
  while (Date.now() < until) {
    await controlRequest(path, { cmd: 'ping' }, 1500);
    pingsDuringFlood++;
  }
  assert.ok((await flood) > 10);
  assert.ok(pingsDuringFlood > 5, `${pingsDuringFlood} pings answered during the flood`);
  const status = await waitFor('a cop ping after the flood', () => {
    const s = readJsonFile<CopStatusDoc>(inst.paths.copStatusFile);
    return s && s.lastPing && s.lastPing.at > until ? s : null;
  });
  assert.equal(inst.holder('manager'), manager, 'the manager was never killed');
  assert.deepEqual(status.kills, {});
  assert.equal(status.managerStarts, 1);
  assert.doesNotMatch(inst.output(), /heartbeat\.fail .*manager/);
});
