// Experiment behind docs/benchmarks.md finding 2: a warm standby server against a bare restart, in the
// same run. A parent holds a bound socket (as the cop does), keeps one active and one standby child;
// on the active's death it sends 'go' to the standby. usage: node scripts/bench/dist/experiments/standby.js [early|late]
// (early: the next standby starts at once; late: once the new active listens).
import { spawn, type ChildProcess } from 'node:child_process';
import { bindServerHandle, freePort, sleep } from '@tripod/core';
import { performance } from 'node:perf_hooks';
import { startPlain } from '../lib/plain.js';
import { startPoller } from '../lib/poller.js';

import { median } from '../lib/stats.js';

const SAMPLES = 8;
const late = process.argv[2] === 'late';
const port = await freePort();
const bound = bindServerHandle('127.0.0.1', port);
if (!bound.ok) throw new Error(`bind 127.0.0.1:${port} failed (${bound.code})`);
const { handle } = bound;
const CHILD = new URL('./standby-child.js', import.meta.url).pathname;

type Standby = ChildProcess & { ready: Promise<void> };

function spawnStandby(): Standby {
  const child = spawn(process.execPath, [CHILD], { stdio: ['ignore', 'inherit', 'inherit', handle.fd, 'ipc'] });
  const ready = new Promise<void>((resolve) => child.on('message', (m) => m === 'standby' && resolve()));
  return Object.assign(child, { ready });
}

let active = spawnStandby();
await active.ready;
active.send('go');
let spare = spawnStandby();
const promote = () => {
  active = spare;
  active.send('go');
  active.once('exit', promote);
  if (late) active.once('message', () => (spare = spawnStandby()));
  else spare = spawnStandby();
};
active.once('exit', promote);
const bare = await startPlain('bare');

/** ms from the kill to the first success served by another PID, and the refused polls. */
interface KillRun {
  readonly ms: number;
  readonly refused: number;
}

async function killOnce(target: number, kill: () => unknown, victim: number | undefined): Promise<KillRun> {
  const poller = startPoller({ port: target });
  await poller.waitFor('a success', (r) => r.outcome === 'ok', 5000);
  const t0 = performance.now();
  kill();
  const first = await poller.waitFor('a success after the kill', (r) => r.doneAt > t0 && r.outcome === 'ok' && r.pid !== victim, 10_000);
  await poller.stop();
  return { ms: first.doneAt - t0, refused: poller.records.filter((r) => r.doneAt > t0 && r.outcome === 'refused').length };
}

const standby: KillRun[] = [];
const bareRuns: KillRun[] = [];
try {
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(200);
    await spare.ready;
    await sleep(300);
    const victim = active.pid;
    standby.push(await killOnce(port, () => victim !== undefined && process.kill(victim, 'SIGKILL'), victim));
    await bare.waitStable();
    await sleep(300);
    const bareVictim = bare.pid;
    bareRuns.push(await killOnce(bare.port, () => bare.inject('bare-kill'), bareVictim));
  }
} finally {
  active.removeAllListeners('exit');
  spare.kill('SIGKILL');
  active.kill('SIGKILL');
  await bare.stop();
  handle.close();
}
const line = (name: string, runs: readonly KillRun[]) => `${name}: median ${median(runs.map((r) => r.ms))?.toFixed(1)} ms [${runs.map((r) => r.ms.toFixed(0)).join(' ')}], refused ${runs.reduce((n, r) => n + r.refused, 0)}`;
console.log(line(`warm standby (${late ? 'next standby after the takeover' : 'next standby at once'})`, standby));
console.log(line('bare restart', bareRuns));
process.exit(0);
