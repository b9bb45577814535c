// The paced client in a process of its own, so that what the benchmark does meanwhile (signalling a
// target, polling its status and lock files) never delays the load it measures: run in the
// benchmark's own event loop, tripod's restart polling showed up as 10–18 ms of client lag at the
// signal (docs/benchmarks.md "rolling"). Times are CLOCK_MONOTONIC ms (`monotonicMs`), the same
// clock in every process. usage as a process: node paced-process.js PORT RATE keep-alive|new
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startPaced, type PacedRun, type PacedSample } from './paced-client.js';

/** Milliseconds on CLOCK_MONOTONIC: comparable across processes, unlike performance.now(). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Starts a paced client process; resolves once it sends. Its samples' `dueAt` are `monotonicMs()` values. */
export async function startPacedProcess({ port, rate, keepAlive }: { port: number; rate: number; keepAlive: boolean }): Promise<PacedRun> {
  const child = fork(fileURLToPath(import.meta.url), [String(port), String(rate), keepAlive ? 'keep-alive' : 'new'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`paced client exited with code ${code} before sending`)));
  });
  return {
    stop(graceMs) {
      return new Promise((resolve, reject) => {
        child.removeAllListeners('exit');
        child.once('message', (samples: PacedSample[]) => resolve(samples));
        child.once('exit', (code) => reject(new Error(`paced client exited with code ${code} before its samples`)));
        child.send({ stop: graceMs ?? 5000 });
      });
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.send) {
  const [port, rate, mode] = process.argv.slice(2);
  const offset = monotonicMs() - performance.now();
  const run = startPaced({ port: Number(port), rate: Number(rate), keepAlive: mode === 'keep-alive' });
  process.send('sending');
  process.once('message', async (message: { stop: number }) => {
    const samples = (await run.stop(message.stop)).map((s) => ({ ...s, dueAt: s.dueAt + offset }));
    process.send!(samples, () => process.disconnect());
  });
}
