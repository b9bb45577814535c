// Exec mode in a pool: `--servers 2` runs two gunicorns on the same listening sockets, each kept by its
// own keeper holding its slot's lock (server.lock, server.1.lock) and judged by the cop on the same
// liveness contract as a Node server. SIGKILL of one program under load refuses nothing; its slot is
// refilled while the other serves on; the cop kills no keeper for a hang nor calls one busy.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startLoad } from '@tripod/chaos';
import { findSlotHolders, isKeeper, probeKeeper, probeLiveness, livenessSocketPath, readJsonFile, serverLockPath, waitFor } from '@tripod/core';
import { startExec } from '../helpers/exec.js';
import { httpGet } from '../helpers/http.js';
import { FIXTURES, cleanupAll, type Instance } from '../helpers/instance.js';

const GUNICORN = '/usr/bin/gunicorn';
const skip = existsSync(GUNICORN) ? false : `${GUNICORN} is not installed (Debian package gunicorn; .ci/run installs it)`;
const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

interface Slot {
  readonly slot: number;
  readonly keeper: number;
  readonly program: number;
}

/** Both slots held by keepers whose programs answer, none of them in `not`; the slots by number. */
async function slotsServing(inst: Instance, not: ReadonlySet<number> = new Set(), timeoutMs = 20_000): Promise<Slot[]> {
  let last = '';
  return waitFor('two keepers holding their slot locks, their programs answering', async () => {
    const held = findSlotHolders(inst.dir).filter((h) => h.slot < 2).sort((a, b) => a.slot - b.slot);
    last = JSON.stringify(held);
    if (held.length !== 2 || held.some((h) => not.has(h.pid) || !isKeeper(inst.dir, h.pid))) return null;
    const slots: Slot[] = [];
    for (const h of held) {
      const program = Number(readFileSync(serverLockPath(inst.dir, h.slot), 'utf8').trim());
      const probe = await probeKeeper(inst.dir, h.pid, 1500);
      if (!probe.ok || !(program > 0) || program === h.pid) return null;
      slots.push({ slot: h.slot, keeper: h.pid, program });
    }
    return slots;
  }, timeoutMs, 100).catch((err: Error) => {
    throw new Error(`${err.message} (last: ${last})\n--- cop output ---\n${inst.output().split('\n').filter((l) => !l.includes(' debug ')).slice(-40).join('\n')}`);
  });
}

test('exec pool: gunicorn --servers 2 runs two programs on one socket; SIGKILL of one under load refuses nothing', { skip }, async () => {
  const inst = await startExec([GUNICORN, '--workers', '1', '--graceful-timeout', '10', 'wsgi_app:app'], {
    args: ['--exec-cwd', join(FIXTURES, 'exec'), '--servers', '2'],
  });
  started.push(inst);
  const first = await slotsServing(inst);
  assert.notEqual(first[0]!.program, first[1]!.program, 'two programs, one per slot');
  // Each keeper keeps the liveness contract: its own report, progress from its proofs.
  for (const s of first) {
    const report = await probeLiveness(livenessSocketPath(inst.dir, s.keeper), 1000);
    assert.ok(report.ok && report.value.pid === s.keeper, `liveness of keeper ${s.keeper}: ${JSON.stringify(report)}`);
  }
  // The cop judges the first slot's keeper on that contract and takes its proof as the heartbeat: ok, not busy.
  await waitFor('the cop calling the first slot ok', () => {
    const cop = readJsonFile<{ server?: { pid: number; verdict: string } | null }>(inst.paths.copStatusFile);
    return cop?.server?.pid === first[0]!.keeper && cop.server.verdict === 'ok';
  }, 10_000, 100);
  assert.match((await httpGet(inst.port, '/')).body, /^gunicorn pid=\d+ path=\/$/m);

  let ok = 0;
  const failures: string[] = [];
  const load = startLoad({ port: inst.port, newConnectionWorkers: 3, keepAliveWorkers: 3, durationMs: 60_000, timeoutMs: 10_000 }, (r) => {
    if (r.outcome === 'ok') ok++;
    else failures.push(`${r.outcome}/${r.mode}`);
  });
  await waitFor('load running', () => ok >= 50, 10_000);
  process.kill(first[1]!.program, 'SIGKILL');
  const second = await slotsServing(inst, new Set([first[1]!.keeper]));
  const decisions = () => inst.output().split('\n').filter((l) => /kill|hang|wedged|busy|exit/.test(l) && !l.includes(' debug ')).slice(-20).join('\n');
  assert.equal(second[0]!.keeper, first[0]!.keeper, `slot 0 untouched; the instance's decisions:\n${decisions()}`);
  assert.notEqual(second[1]!.program, first[1]!.program);
  const mark = ok;
  await waitFor('load through both slots again', () => ok >= mark + 100, 15_000);
  load.stop();
  const summary = await load.done;
  assert.equal(summary.counts.refused, 0, `refused: ${JSON.stringify(summary.counts)}`);
  // The SIGKILL may reset what its program had accepted at that instant (invariant 2): at most one per load worker.
  assert.ok(failures.every((f) => f.startsWith('reset/')) && failures.length <= 6, `failures: ${failures.join(', ')}`);
  const kills = readJsonFile<{ kills?: Record<string, Record<string, number>> }>(inst.paths.copStatusFile)?.kills ?? {};
  assert.deepEqual(kills.server ?? {}, {}, `the cop killed no keeper: the slot was refilled by the manager\n${decisions()}`);
  assert.equal(await inst.stop(), 0);
});
