// The server pool: N servers on the same sockets, each slot supervised on its own; kills, rolling
// restarts, scaling and the memory limit under keep-alive and new-connection load fail nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Agent, request } from 'node:http';
import { HEARTBEAT_PATH, controlRequest, findSlotHolders, parseHeartbeatBody, pidOfToken, readJsonFile, readStat, waitFor } from '@tripod/core';
import { startLoad } from '@tripod/chaos';
import { writeFileSync } from 'node:fs';
import { FIXTURES, startInstance, tempDir, type Instance, cleanupAll } from '../helpers/instance.js';
import { servingPid } from '../helpers/http.js';
import { tripod } from './ctl-run.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

interface PoolStatus {
  size: number;
  phase: string;
  memoryReplacements: number;
  slots: { slot: number; phase: string; pid: number | null; restarts: number; memoryReplacements: number }[];
  servers: { pid: number | null; role: string; slot: number | null; startedAt: number; standbyReady: boolean }[];
}

const status = (inst: Instance) => readJsonFile<PoolStatus>(inst.paths.statusFile);
const holders = (inst: Instance) => findSlotHolders(inst.dir).map((h) => h.pid);

/**
 * Waits until `size` slots serve, each lock held by its slot's serving server, none of them in `gone`,
 * and a standby is ready; returns the holders by slot.
 */
let lastSeen = '';
async function poolServing(inst: Instance, size: number, timeoutMs = 15_000, gone: readonly number[] = [], standby = true): Promise<number[]> {
  return waitFor(`a pool of ${size} serving${standby ? ' with a ready standby' : ''}`, () => {
    lastSeen = JSON.stringify({ status: status(inst), held: findSlotHolders(inst.dir) });
    const s = status(inst);
    if (!s || s.size !== size || s.phase !== 'serving' || (standby && !s.servers.some((x) => x.role === 'standby' && x.standbyReady))) return null;
    if (s.slots.some((slot) => gone.includes(slot.pid!))) return null;
    const held = findSlotHolders(inst.dir);
    const ok = s.slots.every((slot) => held.some((h) => h.slot === slot.slot && h.pid === slot.pid)) && held.filter((h) => h.slot < size).length === size;
    return ok ? s.slots.map((slot) => slot.pid!) : null;
  }, timeoutMs, 50).catch((err: Error) => {
    throw new Error(`${err.message}; last seen ${lastSeen}`);
  });
}

/** Runs `act` under keep-alive and new-connection load; resolves with the load summary once 100 more requests succeeded. */
async function underLoad(inst: Instance, act: () => Promise<void>) {
  let ok = 0;
  const load = startLoad({ port: inst.port, newConnectionWorkers: 3, keepAliveWorkers: 3, durationMs: 60_000, timeoutMs: 10_000 }, (r) => {
    if (r.outcome === 'ok') ok++;
  });
  try {
    await waitFor('load running', () => ok >= 30, 5000);
    await act();
    const target = ok + 100;
    await waitFor('100 more successful requests', () => ok >= target, 10_000);
  } finally {
    load.stop();
  }
  return load.done;
}

/** The instance's decisions worth reading when a test fails. */
const events = (inst: Instance) => inst.output().split('\n').filter((l) => /kill|manager\.start|heartbeat|exit|timeout|promote/.test(l)).join('\n');

const failures = (c: Record<string, number>) => Object.entries(c).filter(([k]) => k !== 'ok').reduce((n, [, v]) => n + v, 0);

test('N=2: SIGKILL of one server, then of both at once, refuses nothing; each slot comes back', async () => {
  const inst = await startInstance({ args: ['--servers', '2'] });
  started.push(inst);
  const first = await poolServing(inst, 2);
  const summary = await underLoad(inst, async () => {
    process.kill(first[1]!, 'SIGKILL');
    const second = await poolServing(inst, 2, 15_000, [first[1]!]);
    assert.equal(second[0], first[0], 'slot 0 untouched');
    assert.notEqual(second[1], first[1]);
    for (const pid of second) process.kill(pid, 'SIGKILL');
    const third = await poolServing(inst, 2, 15_000, second);
    assert.ok(third.every((pid) => !second.includes(pid)));
  });
  assert.equal(summary.counts.refused, 0, JSON.stringify(summary.counts));
  // Only requests a killed server had already accepted may fail, and only as resets.
  assert.equal(summary.counts.timeout + summary.counts['http-5xx'] + summary.counts.error, 0, JSON.stringify(summary.counts));
  const s = status(inst)!;
  assert.deepEqual(s.slots.map((x) => x.restarts), [1, 2]);
  await inst.cleanup();
});

test('N=2: a rolling restart (SIGUSR1) replaces every server under load and fails no request', async () => {
  const inst = await startInstance({ args: ['--servers', '2', '--app', join(FIXTURES, 'slow.mjs')], env: { FIXTURE_DELAY_MS: '30' } });
  started.push(inst);
  const before = await poolServing(inst, 2);
  const summary = await underLoad(inst, async () => {
    inst.cop.kill('SIGUSR1');
    await waitFor('every slot served by a new server', async () => {
      const now = await poolServing(inst, 2).catch(() => null);
      return now !== null && now.every((pid) => !before.includes(pid));
    }, 20_000, 100);
  });
  assert.equal(failures(summary.counts), 0, JSON.stringify(summary.counts));
  await inst.cleanup();
});

test('N=4: SIGKILL of two servers at once under load refuses nothing', async () => {
  const inst = await startInstance({ args: ['--servers', '4'] });
  started.push(inst);
  const first = await poolServing(inst, 4, 30_000);
  const summary = await underLoad(inst, async () => {
    process.kill(first[0]!, 'SIGKILL');
    process.kill(first[3]!, 'SIGKILL');
    const next = await poolServing(inst, 4, 30_000, [first[0]!, first[3]!]);
    assert.deepEqual([next[1], next[2]], [first[1], first[2]], `the other slots untouched\n${events(inst)}`);
  });
  assert.equal(summary.counts.refused, 0, JSON.stringify(summary.counts));
  assert.equal(summary.counts.timeout + summary.counts['http-5xx'] + summary.counts.error, 0, JSON.stringify(summary.counts));
  await inst.cleanup();
});

/** Resolves with the PID of the first server not in `known` to answer a heartbeat through the port (several probes at a time: any server of the pool may accept each). */
async function newServerAnswering(port: number, known: readonly number[], timeoutMs: number): Promise<number> {
  return waitFor('a new server answering', async () => {
    const pids = await Promise.all([0, 1, 2, 3].map(() => servingPid(port)));
    return pids.find((pid) => pid !== null && !known.includes(pid)) ?? null;
  }, timeoutMs, 20);
}

// The bound of issue 9 on the default timings: from the SIGSTOP to a new server of that slot answering.
const WEDGE_BOUND_MS = 3000;

test('N=2, defaults: a SIGSTOPped server is found on its own liveness and replaced within 3 s while the other serves', async (t) => {
  const inst = await startInstance({ fast: false, args: ['--servers', '2'] });
  started.push(inst);
  const first = await poolServing(inst, 2);
  const servingAt = Date.now();
  const records: { at: number; ms: number }[] = [];
  // New connections only: the kernel hands them to whichever server accepts, never to the frozen one.
  const load = startLoad({ port: inst.port, newConnectionWorkers: 3, keepAliveWorkers: 0, durationMs: 60_000, timeoutMs: 10_000 }, (r) => {
    records.push({ at: r.at, ms: r.ms });
  });
  let replacedMs = 0;
  let frozenAt = 0;
  let successor = 0;
  try {
    await waitFor('load running', () => records.length >= 30, 5000);
    // The bound is for a server the cop judged ok (cop-status has each slot's verdict) and past its
    // start grace (5 s from when the cop first saw it hold its lock, before the pool served).
    await waitFor('the cop judging slot 1 ok, past its start grace', () => {
      const cop = readJsonFile<{ slots?: { slot: number; pid: number; verdict: string }[] }>(inst.paths.copStatusFile);
      return (cop?.slots?.some((v) => v.slot === 1 && v.pid === first[1] && v.verdict === 'ok') ?? false) && Date.now() - servingAt > 5000;
    }, 15_000, 50);
    const killedAt = Date.now();
    process.kill(first[1]!, 'SIGSTOP');
    // The window starts once the kernel has stopped it: a connection started between kill(2) and the
    // stop may still be accepted by it, and is one of its own.
    await waitFor('the server stopped', () => readStat(first[1]!)?.state === 'T', 2000, 1);
    frozenAt = Date.now();
    successor = await newServerAnswering(inst.port, first, 10_000);
    replacedMs = Date.now() - killedAt;
    const after = await poolServing(inst, 2, 15_000, [first[1]!], false);
    assert.equal(after[1], successor, 'the server that answered is slot 1\'s new server');
  } finally {
    load.stop();
  }
  const summary = await load.done;
  // Only a request the server had accepted at the instant it was frozen may fail, and only as a reset
  // when it is killed (at most one per client).
  assert.equal(summary.counts.refused + summary.counts.timeout + summary.counts['http-5xx'] + summary.counts.error, 0, JSON.stringify(summary.counts));
  assert.ok(summary.counts.reset <= 3, JSON.stringify(summary.counts));
  // The cop asks the manager to promote the standby into the slot as soon as it judges the server
  // wedged (silent for more than --hang-after-ms, 2 s), and kills the frozen one afterwards.
  assert.ok(replacedMs <= WEDGE_BOUND_MS, `replaced after ${replacedMs} ms\n${events(inst)}`);
  // The manager put the successor in the slot before the cop's kill (its answer to the cop may come
  // late when its loop is busy, e.g. reading a /proc/net/tcp full of TIME_WAIT sockets; the promotion does not wait for it).
  const out = inst.output();
  const replaced = out.search(/manager\[\d+\] warn server\.wedged-replace target=\d+ slot=1/);
  const killed = out.search(/cop\[\d+\] warn kill\.signal target=\d+ targetTier=server/);
  assert.ok(replaced >= 0 && (killed < 0 || replaced < killed), `successor first, then the kill\n${events(inst)}`);
  // While it is frozen and not yet judged, the other server serves every new connection: none started
  // in that window waits for the frozen one (target < 100 ms on an idle machine). The window opens
  // 20 ms after the SIGSTOP: a connection the server accepted in the instant the signal took effect
  // waits until the cop lets it run again to drain (~1.5 s later), and then succeeds.
  const frozenWindow = records.filter((r) => r.at >= frozenAt + 20 && r.at < frozenAt + 1500);
  const maxMs = Math.max(...frozenWindow.map((r) => r.ms));
  t.diagnostic(`replaced after ${replacedMs} ms; ${frozenWindow.length} requests while frozen, longest ${maxMs} ms`);
  assert.ok(frozenWindow.length > 0 && maxMs < 1000, `${frozenWindow.length} requests while frozen, longest ${maxMs} ms`);
  assert.equal(status(inst)!.slots[0]!.pid, first[0], 'slot 0 untouched');
  await inst.cleanup();
});

test('scale 1 → 3 → 1 under load (tripod server scale) fails no request', async () => {
  const inst = await startInstance({ args: ['--app', join(FIXTURES, 'slow.mjs')], env: { FIXTURE_DELAY_MS: '20' } });
  started.push(inst);
  const one = await poolServing(inst, 1);
  const summary = await underLoad(inst, async () => {
    const scaled = await tripod(['server', 'scale', '3', '--runtime-dir', inst.dir]);
    assert.equal(scaled.code, 0, scaled.stderr);
    const three = await poolServing(inst, 3, 20_000);
    assert.equal(three[0], one[0], 'slot 0 keeps its server');
    await controlRequest(inst.paths.controlSocket, { cmd: 'server-scale', args: { size: 1 } }, 5000);
    await poolServing(inst, 1);
    await waitFor('the dropped slots let their locks go', () => holders(inst).length === 1, 10_000);
  });
  assert.equal(failures(summary.counts), 0, JSON.stringify(summary.counts));
  await inst.cleanup();
});

/** Responses that said `Connection: close` (a recycled connection), for the failure message. */
let closesSeen = 0;

/** GETs the heartbeat over `agent` (its keep-alive connections); resolves with the PID of the server that answered. */
function heartbeatOver(agent: Agent, inst: Instance): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: inst.port, path: HEARTBEAT_PATH, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.headers.connection === 'close') closesSeen++;
        const token = parseHeartbeatBody(body);
        resolve(token === null ? null : pidOfToken(inst.dir, token));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test('after a scale up, a server started alone recycles its keep-alive connections (so the shared queue can place them again)', async () => {
  // Load that keeps the only server busy (5 ms of CPU per request on 4 keep-alive connections): the
  // situation a scale up is for.
  const inst = await startInstance({ args: ['--app', join(FIXTURES, 'cpu-heavy.mjs')], env: { FIXTURE_CPU_MS: '5' } });
  started.push(inst);
  const [first] = await poolServing(inst, 1);
  const load = startLoad({ port: inst.port, newConnectionWorkers: 0, keepAliveWorkers: 4, durationMs: 60_000, timeoutMs: 10_000 }, () => undefined);
  // Eight keep-alive connections that ask which server answers.
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const round = () => Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(() => heartbeatOver(agent, inst)));
  try {
    // Alone, a server keeps a connection for as long as the client does: 110 responses on each, none closes.
    closesSeen = 0;
    for (let i = 0; i < 110; i++) assert.ok((await round()).every((pid) => pid === first));
    assert.equal(closesSeen, 0, 'a lone server recycles nothing');
    const scaled = await tripod(['server', 'scale', '2', '--runtime-dir', inst.dir]);
    assert.equal(scaled.code, 0, scaled.stderr);
    const [, second] = await poolServing(inst, 2);
    // Each connection now closes on its 100th response (about twice each in 250 rounds); the shared queue
    // places each new one: usually on the server that waits (measured 700-1000 of 2400 requests on the
    // new one), but on a machine short of CPU whichever server runs wins the accept (0 of 2400 with two
    // CPU burners beside): the spread is reported, the recycling asserted.
    const answered: (number | null)[] = [];
    for (let i = 0; i < 250; i++) answered.push(...(await round()));
    const bySecond = answered.filter((pid) => pid === second).length;
    console.log(`# after the scale up: ${closesSeen} connections recycled; the new server answered ${bySecond} of ${answered.length} requests`);
    assert.ok(closesSeen >= 8, `the first server recycled ${closesSeen} keep-alive connections after the scale up\n${events(inst)}`);
  } finally {
    agent.destroy();
    load.stop();
  }
  const summary = await load.done;
  assert.equal(failures(summary.counts), 0, JSON.stringify(summary.counts));
  await inst.cleanup();
});

test('a reload that changes servers grows the pool under load and fails no request', async () => {
  const dir = tempDir();
  const file = join(dir, 'tripod.json');
  writeFileSync(file, JSON.stringify({ servers: 1 }));
  const inst = await startInstance({ dir, args: ['--config', file] });
  started.push(inst);
  await poolServing(inst, 1);
  const summary = await underLoad(inst, async () => {
    writeFileSync(file, JSON.stringify({ servers: 2 }));
    const reloaded = await tripod(['reload', '--json', '--runtime-dir', dir]);
    assert.equal(reloaded.code, 0, reloaded.stderr);
    assert.deepEqual((JSON.parse(reloaded.stdout) as { applied: string[] }).applied, ['servers']);
    await poolServing(inst, 2);
  });
  assert.equal(failures(summary.counts), 0, JSON.stringify(summary.counts));
  await inst.cleanup();
});

test('the memory limit replaces a leaking server gracefully: new one first, no request fails', async () => {
  const inst = await startInstance({
    args: ['--servers', '2', '--app', join(FIXTURES, 'leaky.mjs'), '--max-memory', '160M', '--memory-window-ms', '300'],
    env: { FIXTURE_LEAK_KB: '256' },
  });
  started.push(inst);
  await poolServing(inst, 2);
  const summary = await underLoad(inst, async () => {
    await waitFor('a server replaced for memory', () => (status(inst)?.memoryReplacements ?? 0) >= 1, 30_000, 100);
  });
  assert.equal(failures(summary.counts), 0, JSON.stringify(summary.counts));
  assert.match(inst.output() + '', /server\.over-memory|over-memory/);
  await inst.cleanup();
});
