// Exec mode against the same real server run bare: gunicorn kept by tripod (`-- gunicorn …`) and
// gunicorn restarted by a plain shell loop. Recovery after SIGKILL of the gunicorn master, and client
// failures across a graceful restart (tripod: SIGUSR1, a new gunicorn ready before the old one drains;
// the loop: SIGTERM, gunicorn drains and exits, the loop starts the next), each under the same load.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startLoad, type Outcome } from '@tripod/chaos';
import { findLockHolder, freePort, isKeeper, tierArgv, probeKeeper, runtimePaths, scanInstance, instanceIdFor, waitFor } from '@tripod/core';
import { cleanEnv } from '../lib/env.js';
import type { Counts, Progress } from '../lib/model.js';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'test/fixtures/exec');
export const GUNICORN = '/usr/bin/gunicorn';
const GUNICORN_ARGS = ['--workers', '2', '--graceful-timeout', '10', 'wsgi_app:app'];

export interface ExecRow {
  readonly target: string;
  readonly action: 'SIGKILL of the master' | 'graceful restart';
  readonly repeat: number;
  /** Per repetition: ms from the action to the first request (sent after it) answered. */
  readonly firstOkMs: number[];
  readonly counts: Counts;
  readonly total: number;
}

export interface ExecResult {
  readonly skipped: string | null;
  readonly rows: ExecRow[];
}

interface Subject {
  readonly name: string;
  readonly port: number;
  /** The gunicorn master serving now. */
  master(): number | null;
  /** Waits until a new master (not `old`) serves. */
  settled(old: number | null): Promise<void>;
  restart(): void;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One GET on a new connection; resolves true on an HTTP answer. */
function get(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve((res.statusCode ?? 500) < 500));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Polls with fresh connections until one is answered; ms since `from`. */
async function firstOk(port: number, from: number): Promise<number> {
  while (!(await get(port, 10_000))) await sleep(5);
  return Date.now() - from;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function startTripodExec(): Promise<Subject> {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-bench-exec-'));
  const port = await freePort();
  const out = openSync(join(dir, 'cop-output.log'), 'a');
  const cop = spawn(process.execPath, [...tierArgv('cop'), '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, '--exec-cwd', FIXTURES, '--', GUNICORN, ...GUNICORN_ARGS], { cwd: dir, env: cleanEnv(), stdio: ['ignore', out, out] });
  closeSync(out);
  const lock = runtimePaths(dir).lockFile('server');
  const master = () => {
    const keeper = findLockHolder(lock);
    if (keeper === null) return null;
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  };
  const settled = async (old: number | null) => {
    await waitFor('a new gunicorn kept and answering', async () => {
      const keeper = findLockHolder(lock);
      const now = master();
      return keeper !== null && now !== null && now !== old && isKeeper(dir, keeper) && (await probeKeeper(dir, keeper, 1500)).ok;
    }, 30_000, 50);
  };
  await settled(null);
  return {
    name: 'tripod (exec)', port, master, settled,
    restart: () => void cop.kill('SIGUSR1'),
    async stop() {
      cop.kill('SIGTERM');
      await waitFor('cop gone', () => cop.exitCode !== null || cop.signalCode !== null, 20_000).catch(() => cop.kill('SIGKILL'));
      for (const p of scanInstance(instanceIdFor(dir))) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startLoop(): Promise<Subject> {
  const port = await freePort();
  const loop: ChildProcess = spawn('sh', ['-c', `while :; do ${GUNICORN} -b 127.0.0.1:${port} ${GUNICORN_ARGS.join(' ')} 2>/dev/null; done`], { cwd: FIXTURES, env: cleanEnv(), stdio: 'ignore', detached: true });
  const master = () => childrenOf(loop.pid!)[0] ?? null;
  const settled = async (old: number | null) => {
    await waitFor('a new gunicorn answering', async () => {
      const now = master();
      return now !== null && now !== old && (await get(port, 1500));
    }, 30_000, 50);
  };
  await settled(null);
  return {
    name: 'gunicorn + shell loop', port, master, settled,
    restart: () => { const m = master(); if (m !== null) process.kill(m, 'SIGTERM'); },
    async stop() {
      try { process.kill(-loop.pid!, 'SIGKILL'); } catch { /* gone */ }
    },
  };
}

async function measure(subject: Subject, action: ExecRow['action'], repeat: number, loadWorkers: number, progress: Progress): Promise<ExecRow> {
  const counts: Record<string, number> = {};
  let total = 0;
  const load = startLoad({ port: subject.port, newConnectionWorkers: loadWorkers, keepAliveWorkers: 0, durationMs: 10 * 60_000, timeoutMs: 15_000 }, (r: { outcome: Outcome }) => {
    total++;
    counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  });
  const firstOkMs: number[] = [];
  await sleep(500);
  for (let i = 0; i < repeat; i++) {
    const old = subject.master();
    const at = Date.now();
    if (action === 'graceful restart') subject.restart();
    else if (old !== null) process.kill(old, 'SIGKILL');
    firstOkMs.push(await firstOk(subject.port, at));
    await subject.settled(old);
    await sleep(1000);
    progress(`exec: ${subject.name}, ${action} ${i + 1}/${repeat}: first answer after ${firstOkMs.at(-1)} ms`);
  }
  load.stop();
  await load.done;
  return { target: subject.name, action, repeat, firstOkMs, counts, total };
}

/** The exec-mode comparison; skipped (with the reason) when gunicorn is not installed. */
export async function runExec(options: { repeat: number; loadWorkers: number; progress: Progress }): Promise<ExecResult> {
  if (!existsSync(GUNICORN)) return { skipped: `${GUNICORN} is not installed (Debian package gunicorn)`, rows: [] };
  const rows: ExecRow[] = [];
  for (const start of [startTripodExec, startLoop]) {
    const subject = await start();
    try {
      for (const action of ['SIGKILL of the master', 'graceful restart'] as const) rows.push(await measure(subject, action, options.repeat, options.loadWorkers, options.progress));
    } finally {
      await subject.stop();
    }
  }
  return { skipped: null, rows };
}
