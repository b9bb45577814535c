import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeKill, type KillDeps, type KillTarget, type SafeKillOptions } from '../src/kill/safe-kill.js';
import type { ProcessIdentity } from '../src/proc/identity.js';

const TARGET: KillTarget = { pid: 4321, starttime: 777, tier: 'server', leadsGroup: true };
const OPTIONS: SafeKillOptions = { reason: 'test', coreSignal: null, graceMs: 1000, killWaitMs: 500 };

/** A fake process: dies `after` ms once it gets one of the signals in `diesOn`; a fake clock that sleep advances. */
function fakeWorld(options: { alive?: boolean; diesOn?: Record<string, number>; esrchOn?: string[] } = {}) {
  let now = 10_000;
  let alive = options.alive ?? true;
  let deathAt = Infinity;
  const signals: Array<[number, string]> = [];
  const events: string[] = [];
  const levels: string[] = [];
  const checkedIdentities: ProcessIdentity[] = [];
  const deps: KillDeps = {
    isStillAlive(who) {
      checkedIdentities.push(who);
      if (now >= deathAt) alive = false;
      return alive;
    },
    signal(pid, sig) {
      signals.push([pid, sig]);
      // ESRCH while /proc still says alive: safe-kill must trust the kernel's answer, not wait.
      if (options.esrchOn?.includes(sig)) return false;
      const after = options.diesOn?.[sig];
      if (after !== undefined) deathAt = Math.min(deathAt, now + after);
      return true;
    },
    async sleep(ms) {
      now += ms;
    },
    now: () => now,
    log(event, _fields, level) {
      events.push(event);
      levels.push(`${event}:${level}`);
    },
  };
  return { deps, signals, events, levels, checkedIdentities, elapsed: () => now - 10_000 };
}

test('a target that is already gone gets no signal', async () => {
  const world = fakeWorld({ alive: false });
  assert.equal(await safeKill(TARGET, OPTIONS, world.deps), 'already-gone');
  assert.deepEqual(world.signals, []);
  assert.deepEqual(world.events, ['kill.already-gone']);
});

test('a planned stop that ends on SIGTERM logs at info; an unplanned one at warn', async () => {
  const planned = fakeWorld({ diesOn: { SIGTERM: 50 } });
  await safeKill(TARGET, { ...OPTIONS, planned: true }, planned.deps);
  assert.deepEqual(planned.levels, ['kill.signal:info', 'kill.exited:info']);
  const repair = fakeWorld({ diesOn: { SIGTERM: 50 } });
  await safeKill(TARGET, OPTIONS, repair.deps);
  assert.deepEqual(repair.levels, ['kill.signal:warn', 'kill.exited:warn']);
});

test('a planned stop that needs SIGKILL warns about the SIGKILL', async () => {
  const world = fakeWorld({ diesOn: { SIGKILL: 0 } });
  await safeKill(TARGET, { ...OPTIONS, planned: true }, world.deps);
  assert.deepEqual(world.levels, ['kill.signal:info', 'kill.signal:warn']);
});

test('identity checks use both pid and starttime', async () => {
  const world = fakeWorld({ diesOn: { SIGTERM: 0 } });
  await safeKill(TARGET, OPTIONS, world.deps);
  assert.ok(world.checkedIdentities.length > 0);
  for (const who of world.checkedIdentities) {
    assert.equal(who.pid, 4321);
    assert.equal(who.starttime, 777);
  }
});

test('a target that exits on SIGTERM is not SIGKILLed', async () => {
  const world = fakeWorld({ diesOn: { SIGTERM: 100 } });
  assert.equal(await safeKill(TARGET, OPTIONS, world.deps), 'exited');
  assert.deepEqual(world.signals, [[4321, 'SIGTERM']]);
  assert.ok(world.elapsed() >= 100 && world.elapsed() < OPTIONS.graceMs, `waited ${world.elapsed()} ms`);
});

test('a group leader that ignores SIGTERM gets SIGKILL to its whole group after the grace time', async () => {
  const world = fakeWorld({ diesOn: { SIGKILL: 0 } });
  assert.equal(await safeKill(TARGET, OPTIONS, world.deps), 'killed');
  assert.deepEqual(world.signals, [
    [4321, 'SIGTERM'],
    [-4321, 'SIGKILL'],
  ]);
  assert.ok(world.elapsed() >= OPTIONS.graceMs, `SIGKILL came after ${world.elapsed()} ms`);
});

test('a target that does not lead its group gets SIGKILL to its pid only', async () => {
  const world = fakeWorld({ diesOn: { SIGKILL: 0 } });
  assert.equal(await safeKill({ ...TARGET, leadsGroup: false }, OPTIONS, world.deps), 'killed');
  assert.deepEqual(world.signals, [
    [4321, 'SIGTERM'],
    [4321, 'SIGKILL'],
  ]);
});

test('the core signal is sent first, then SIGTERM, then SIGKILL', async () => {
  const world = fakeWorld({ diesOn: { SIGKILL: 0 } });
  const outcome = await safeKill(TARGET, { ...OPTIONS, coreSignal: 'SIGABRT' }, world.deps);
  assert.equal(outcome, 'killed');
  assert.deepEqual(
    world.signals.map(([, s]) => s),
    ['SIGABRT', 'SIGTERM', 'SIGKILL'],
  );
  assert.ok(world.elapsed() >= 2 * OPTIONS.graceMs);
});

test('a target that dies from the core signal gets nothing else', async () => {
  const world = fakeWorld({ diesOn: { SIGABRT: 300 } });
  assert.equal(await safeKill(TARGET, { ...OPTIONS, coreSignal: 'SIGABRT' }, world.deps), 'exited');
  assert.deepEqual(world.signals, [[4321, 'SIGABRT']]);
});

test('a target that survives SIGKILL is reported, after a bounded wait', async () => {
  const world = fakeWorld();
  assert.equal(await safeKill(TARGET, OPTIONS, world.deps), 'survived');
  assert.equal(world.signals.length, 2);
  assert.ok(world.elapsed() >= OPTIONS.graceMs + OPTIONS.killWaitMs);
  assert.ok(world.elapsed() <= OPTIONS.graceMs + OPTIONS.killWaitMs + 100, `waited ${world.elapsed()} ms`);
  assert.equal(world.events.at(-1), 'kill.survived');
});

test('ESRCH on SIGTERM means it exited; nothing more is sent', async () => {
  const world = fakeWorld({ esrchOn: ['SIGTERM'] });
  assert.equal(await safeKill(TARGET, OPTIONS, world.deps), 'exited');
  assert.deepEqual(world.signals, [[4321, 'SIGTERM']]);
  assert.equal(world.elapsed(), 0, 'no waiting after ESRCH');
});

test('skipTerm: no SIGTERM, straight to SIGKILL (after the core signal when one is set)', async () => {
  const sent: string[] = [];
  let alive = true;
  let now = 0;
  const deps = {
    isStillAlive: () => alive,
    signal: (pid: number, sig: NodeJS.Signals) => {
      sent.push(`${pid}:${sig}`);
      if (sig === 'SIGKILL') alive = false;
      return true;
    },
    sleep: async (ms: number) => {
      now += ms;
    },
    now: () => now,
    log: () => undefined,
  };
  const outcome = await safeKill({ pid: 42, starttime: 1, tier: 'manager', leadsGroup: true }, { reason: 'wedged', coreSignal: 'SIGABRT', graceMs: 100, killWaitMs: 100, skipTerm: true }, deps);
  assert.equal(outcome, 'killed');
  assert.deepEqual(sent, ['42:SIGABRT', '-42:SIGKILL']);
});
