// The liveness worker: a thread of the server that answers its private socket with the main thread's
// progress, read from shared memory. It never waits in the request queue, so a busy server still
// answers (with fresh progress), while a spinning one answers with stale progress and a stopped one
// does not answer at all.
import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { monotonicUs, ProgressObserver, readProgress } from '@tripod/core/liveness/progress';
import { formatLivenessReport } from '@tripod/core/wire/liveness';

export interface LivenessWorkerData {
  readonly buffer: SharedArrayBuffer;
  readonly dir: string;
  readonly path: string;
  readonly pid: number;
  readonly token: string;
}

/** What the worker tells the main thread once. */
export type LivenessWorkerMessage = { readonly type: 'listening' } | { readonly type: 'error'; readonly error: string };

const data = workerData as LivenessWorkerData;
const tell = (message: LivenessWorkerMessage) => parentPort?.postMessage(message);

try {
  mkdirSync(data.dir, { recursive: true, mode: 0o700 });
  chmodSync(data.dir, 0o700);
  unlinkSync(data.path);
} catch {
  // no stale socket of a previous server with this PID
}

// The request counters carry no time: look at them this often, and date their changes (ProgressObserver).
const OBSERVE_MS = 50;
const observer = new ProgressObserver();
const look = () => observer.observe(readProgress(data.buffer), Number(monotonicUs()));
look();
setInterval(look, OBSERVE_MS).unref();

const server = createServer((socket) => {
  socket.on('error', () => undefined);
  const report = observer.report(readProgress(data.buffer), Number(monotonicUs()), data.pid, data.token);
  socket.end(formatLivenessReport(report));
});
server.on('error', (err) => tell({ type: 'error', error: (err as NodeJS.ErrnoException).code ?? err.message }));
server.listen(data.path, () => {
  try {
    chmodSync(data.path, 0o600);
  } catch {
    // the directory is owner-only already
  }
  tell({ type: 'listening' });
});
