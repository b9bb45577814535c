// Busy is not hung, for exec'd programs too (docs/exec.md): a program whose every worker is in a
// CPU-heavy request keeps the keeper's proof probe waiting in its accept queue longer than
// --hang-after-ms, yet is not killed, because /proc shows its processes making system calls. A program
// that spins without system calls, or is stopped, shows none and is replaced within the bound. Default
// timings (1 s checks, 2 s --hang-after-ms); a short start grace stands for a program that has run a while.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { identify, isStillAlive, processTree, readJsonFile, readStat, waitFor } from '@tripod/core';
import { askKeeper, keeperAndProgram, loggedAt, serverLogEvents, startExec, tierLogEvents, waitKeeperServing } from '../helpers/exec.js';
import { httpGet } from '../helpers/http.js';
import { FIXTURES, cleanupAll, tempDir, type Instance, type StartOptions } from '../helpers/instance.js';
import { readableCop } from '../helpers/readable-build.js';
import { NEEDS_ROOT, NOBODY } from './hostile/nobody.js';

const PYTHON = '/usr/bin/python3';
const GUNICORN = '/usr/bin/gunicorn';
const BUSY = join(FIXTURES, 'exec/busy_server.py');
const HANG_AFTER_MS = 2000;
/** Detection: from the hang to the cop's kill decision. 3 s on the defaults (2 s without progress, then the next 1 s check), plus a margin for this loaded 2-core machine. */
const DETECTION_BOUND_MS = 3000 + 1000;
const noPython = existsSync(PYTHON) ? false : `${PYTHON} is not installed`;
const noGunicorn = existsSync(GUNICORN) ? false : `${GUNICORN} is not installed (Debian package gunicorn; .ci/run installs it)`;

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

/** Starts `program` on the default timings and waits until the cop has judged its keeper past the start grace. */
async function startJudged(program: string[], args: string[] = [], options: StartOptions = {}): Promise<{ inst: Instance; keeper: number; program: number }> {
  const inst = await startExec(program, { ...options, args: ['--start-grace-ms', '1000', ...args], fast: false });
  started.push(inst);
  const both = keeperAndProgram(inst)!;
  const readyAt = Date.now();
  await waitFor('the cop judging the keeper past its start grace', () => {
    const cop = readJsonFile<{ server?: { pid: number; verdict: string } | null }>(inst.paths.copStatusFile);
    return cop?.server?.pid === both.keeper && cop.server.verdict === 'ok' && Date.now() - readyAt > 1100;
  }, 10_000, 50);
  return { inst, ...both };
}

interface Overload {
  readonly ok: number;
  readonly failures: string[];
  readonly maxMs: number;
}

/** `clients` loops of GET `path` for `ms`, each request with a generous deadline: every one must succeed. */
async function overload(port: number, path: string, clients: number, ms: number): Promise<Overload> {
  const until = Date.now() + ms;
  let ok = 0;
  let maxMs = 0;
  const failures: string[] = [];
  await Promise.all(Array.from({ length: clients }, async () => {
    while (Date.now() < until) {
      const t0 = Date.now();
      try {
        const reply = await httpGet(port, path, '127.0.0.1', 30_000);
        if (reply.status === 200) ok++;
        else failures.push(`HTTP ${reply.status}`);
      } catch (err) {
        failures.push((err as NodeJS.ErrnoException).code ?? String(err));
      }
      maxMs = Math.max(maxMs, Date.now() - t0);
    }
  }));
  return { ok, failures, maxMs };
}

/** The effective uid of a process. */
function uidOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'))!.split(/\s+/)[2]);
}

/** The end of the program's output (server-exec.log). */
function programLog(inst: Instance): string {
  try {
    return readFileSync(join(inst.dir, 'logs/server-exec.log'), 'utf8').slice(-3000);
  } catch {
    return '(no server-exec.log)';
  }
}

/** What the cop decided to kill, with when. */
const killDecisions = (inst: Instance) => tierLogEvents(inst, 'cop', 'kill.decide');

/** The cop's decision to kill `keeper`, once it is in the log (written asynchronously). */
function decisionAbout(inst: Instance, keeper: number): Promise<Record<string, unknown>> {
  return waitFor(`the cop's decision to kill keeper ${keeper} logged`, () => killDecisions(inst).find((r) => r.target === keeper) ?? null, 5000, 50);
}

/**
 * What the keeper's proof probe would have seen alone, taken from outside: every 500 ms a new connection
 * asking for the cheap path `/`, given --hang-after-ms to be answered; the proof needs only the accept,
 * which comes (in queue order) just before that answer. Also every keeper answer meanwhile, and how it knew.
 */
async function watchWindow(inst: Instance, keeper: number, until: number): Promise<{ probes: number; late: number; answers: { ok: boolean; via: string | null; error: string | null }[] }> {
  let probes = 0;
  let late = 0;
  const answers: { ok: boolean; via: string | null; error: string | null }[] = [];
  const proofs = (async () => {
    const pending: Promise<void>[] = [];
    while (Date.now() < until) {
      probes++;
      pending.push(httpGet(inst.port, '/', '127.0.0.1', HANG_AFTER_MS).then(() => undefined, () => void late++));
      await new Promise((r) => setTimeout(r, 500));
    }
    await Promise.all(pending);
  })();
  while (Date.now() < until) {
    const answer = await askKeeper(inst, keeper);
    answers.push(typeof answer === 'string' ? { ok: false, via: null, error: answer } : { ok: answer.ok, via: answer.via, error: answer.error });
    await new Promise((r) => setTimeout(r, 250));
  }
  await proofs;
  return { probes, late, answers };
}

/** Every worker busy longer than --hang-after-ms: the proof alone fails, /proc keeps it alive; nothing killed, nothing failed. */
async function overloadIsNotAHang(t: TestContext, program: string[], path: string, args: string[] = [], options: StartOptions & { windowMs?: number; uid?: number } = {}): Promise<void> {
  const { inst, keeper, program: programPid } = await startJudged(program, args, options);
  if (options.uid !== undefined) for (const pid of [keeper, programPid]) assert.equal(uidOf(pid), options.uid, `PID ${pid} runs as uid ${options.uid}`);
  const windowMs = options.windowMs ?? 5 * HANG_AFTER_MS;
  // 20 clients for 2 workers at 300 ms of CPU each: a new connection (the proof's too) waits ~3 s in the queue.
  const [load, seen] = await Promise.all([overload(inst.port, path, 20, windowMs), watchWindow(inst, keeper, Date.now() + windowMs)]);
  t.diagnostic(`${load.ok} requests over ${windowMs} ms, longest ${load.maxMs} ms; ${seen.late} of ${seen.probes} proof-like probes not answered within ${HANG_AFTER_MS} ms`);
  assert.deepEqual(load.failures, [], `no request failed\n${programLog(inst)}\n${inst.output().slice(-3000)}`);
  assert.ok(load.ok > 20, `${load.ok} requests served`);
  // The proof alone would have called it hung: a new connection was not answered within --hang-after-ms.
  assert.ok(seen.late > 0, `${seen.late} of ${seen.probes} proof-like probes late; longest request ${load.maxMs} ms`);
  // The keeper said all along that the program progresses, and at least once knew it from /proc alone.
  const vias = seen.answers.map((a) => (a.ok ? a.via : `not ok: ${a.error}`));
  t.diagnostic(`keeper answers: ${JSON.stringify(Object.fromEntries([...new Set(vias)].map((v) => [v, vias.filter((x) => x === v).length])))}; exec.busy logged ${serverLogEvents(inst, 'exec.busy').length}×`);
  assert.ok(seen.answers.every((a) => a.ok), `keeper answers: ${JSON.stringify(seen.answers.filter((a) => !a.ok))}`);
  assert.ok(vias.includes('activity'), `keeper answers: ${JSON.stringify(vias)}`);
  const kills = readJsonFile<{ kills?: Record<string, Record<string, number>> }>(inst.paths.copStatusFile)?.kills ?? {};
  assert.deepEqual(kills.server ?? {}, {}, `the cop killed nothing\n${inst.output().slice(-3000)}`);
  assert.deepEqual(killDecisions(inst), [], 'the cop decided no kill');
  assert.deepEqual(keeperAndProgram(inst), { keeper, program: programPid }, 'the same keeper and program serve');
  assert.equal(await inst.stop(), 0);
}

test('busy, not hung: every worker of a pre-forking Python server in CPU-heavy requests for 5× --hang-after-ms; the proof waits, nothing is killed, nothing fails', { skip: noPython }, async (t) => {
  await overloadIsNotAHang(t, [PYTHON, BUSY, '--workers', '2'], '/cpu?ms=300');
});

test('busy, not hung: gunicorn (sync workers) under more concurrent CPU-heavy requests than workers', { skip: noGunicorn }, async (t) => {
  await overloadIsNotAHang(t, [GUNICORN, '--workers', '2', 'wsgi_app:app'], '/cpu?ms=300', ['--exec-cwd', join(FIXTURES, 'exec')]);
});

test('--user: the keeper and its program run as the service user, and the keeper still reads its activity in /proc', { skip: noPython || NEEDS_ROOT }, async (t) => {
  // The service user must be able to read the build and the fixture (the checkout may be 0700).
  const dir = tempDir('tripod-busy-fixture-');
  chmodSync(dir, 0o755);
  copyFileSync(BUSY, join(dir, 'busy_server.py'));
  chmodSync(join(dir, 'busy_server.py'), 0o644);
  await overloadIsNotAHang(t, [PYTHON, join(dir, 'busy_server.py'), '--workers', '2'], '/cpu?ms=300', ['--user', String(NOBODY), '--group', String(NOBODY), '--exec-cwd', dir], {
    copBin: readableCop(), windowMs: 3 * HANG_AFTER_MS, uid: NOBODY,
  });
});

test('a worker that spins without system calls is found on /proc and replaced within the bound', { skip: noPython }, async (t) => {
  const { inst, keeper } = await startJudged([PYTHON, BUSY, '--workers', '1']);
  const spinning = httpGet(inst.port, '/spin', '127.0.0.1', 20_000).catch(() => undefined);
  const t0 = Date.now();
  const next = await waitKeeperServing(inst, new Set([keeper]), 15_000);
  const answeredMs = Date.now() - t0;
  const decision = await decisionAbout(inst, keeper);
  const detectionMs = loggedAt(decision) - t0;
  t.diagnostic(`spin: kill decided ${detectionMs} ms after the spinning request, new program answering after ${answeredMs} ms`);
  assert.ok(detectionMs <= DETECTION_BOUND_MS, `decided after ${detectionMs} ms: ${JSON.stringify(decision)}`);
  assert.match(String(decision.reason), /no progress for \d+ ms/, inst.output().slice(-4000));
  assert.match(inst.output(), /using CPU without system calls/, 'the keeper said why');
  assert.match((await httpGet(inst.port, '/')).body, new RegExp(`^busy-fixture pid=\\d+ path=/$`, 'm'));
  assert.notEqual(next.keeper, keeper);
  await spinning;
});

test('the program stopped (SIGSTOP to each of its processes, its keeper runs on): found on /proc and replaced within the bound', { skip: noPython }, async (t) => {
  const { inst, keeper, program } = await startJudged([PYTHON, BUSY, '--workers', '2']);
  const pids = processTree(program);
  assert.equal(pids.length, 3, 'master and two workers');
  const who = pids.map((pid) => identify(pid)!);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  const t0 = Date.now();
  await waitFor('every process stopped', () => pids.every((pid) => readStat(pid)?.state === 'T'), 2000, 1);
  const next = await waitKeeperServing(inst, new Set([keeper]), 15_000);
  const answeredMs = Date.now() - t0;
  const decision = await decisionAbout(inst, keeper);
  const detectionMs = loggedAt(decision) - t0;
  t.diagnostic(`program stopped: kill decided ${detectionMs} ms after the SIGSTOP, new program answering after ${answeredMs} ms`);
  assert.ok(detectionMs <= DETECTION_BOUND_MS, `decided after ${detectionMs} ms: ${JSON.stringify(decision)}`);
  await waitFor('the stopped processes gone', () => who.every((p) => !isStillAlive(p)), 5000);
  assert.notEqual(next.program, program);
});
