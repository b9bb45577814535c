// The main thread's half of liveness: a progress timer, request accounting, and the worker that
// answers the cop. Every request start and end counts as progress too (the worker sees the counters
// move), so a loop turn that runs many requests back to back (an overloaded server) still shows
// progress between timer ticks.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Worker } from 'node:worker_threads';
import { createProgressBuffer, monotonicUs, ProgressWriter } from '@tripod/core/liveness/progress';
import { livenessDir, livenessSocketPath, tokenFilePath } from '@tripod/core/liveness/socket-path';
import type { LivenessWorkerData, LivenessWorkerMessage } from './worker.js';

/** The progress timer's period. */
export const TICK_MS = 50;
const TICK_US = BigInt(TICK_MS * 1000);
/** A liveness worker that died is started again after this (well within the cop's hang limit). */
const WORKER_RESTART_MS = 200;
/** Lag is the largest timer lateness over a window this long (and the one before it). */
const LAG_WINDOW_US = 1_000_000n;

export interface Liveness {
  /** The server's secret: the heartbeat answers with it instead of its PID. */
  readonly token: string;
  /** Counts an application request from now until its response closes. */
  track(req: IncomingMessage, res: ServerResponse): void;
  /** The responses of the requests counted and not yet closed, oldest first. */
  inFlight(): IterableIterator<ServerResponse>;
  /** Writes the token file (owner-only, never through a link), so the instance's user can tell which server answers; call before listening. */
  publish(runtimeDir: string): void;
  /** Starts the worker serving the liveness socket; resolves once it listens (or with why it cannot). */
  serve(runtimeDir: string): Promise<string | null>;
  /** Stops the timer and the worker and removes the socket. */
  stop(): void;
}

export function createLiveness(): Liveness {
  const buffer = createProgressBuffer();
  const writer = new ProgressWriter(buffer);
  const token = randomBytes(18).toString('base64url');
  // In-flight requests by response, in start order (a Map keeps insertion order: the first is the oldest).
  const inflight = new Map<ServerResponse, number>();
  // One shared listener, not a closure and a once() wrapper per request: measured ~4 % of a keep-alive
  // request's CPU went to tracking it. A response emits 'close' once.
  function onClose(this: ServerResponse) {
    const at = inflight.get(this);
    if (at === undefined) return;
    inflight.delete(this);
    writer.requestFinished();
    if (inflight.size === 0) writer.setOldest(0);
    else if (at === oldest) {
      oldest = inflight.values().next().value as number;
      writer.setOldest(oldest);
    }
  }
  let oldest = 0;
  let last = monotonicUs();
  let windowStart = last;
  let windowMax = 0n;
  let previousMax = 0n;
  const timer = setInterval(() => {
    const now = monotonicUs();
    const late = now - last - TICK_US;
    last = now;
    if (now - windowStart >= LAG_WINDOW_US) {
      previousMax = windowMax;
      windowMax = 0n;
      windowStart = now;
    }
    if (late > windowMax) windowMax = late;
    writer.tick(now, windowMax > previousMax ? windowMax : previousMax);
  }, TICK_MS);
  timer.unref();

  let worker: Worker | null = null;
  let stopped = false;
  const owned = new Set<string>();
  const removeFiles = () => {
    for (const path of owned) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
    owned.clear();
  };
  process.once('exit', removeFiles);

  return {
    token,
    track(_req, res) {
      const at = writer.requestStarted();
      inflight.set(res, at);
      if (inflight.size === 1) writer.setOldest((oldest = at));
      res.on('close', onClose);
    },
    inFlight: () => inflight.keys(),
    publish(runtimeDir) {
      mkdirSync(livenessDir(runtimeDir), { recursive: true, mode: 0o700 });
      const path = tokenFilePath(runtimeDir, process.pid);
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
      owned.add(path);
      try {
        writeSync(fd, token);
      } finally {
        closeSync(fd);
      }
    },
    serve(runtimeDir) {
      const data: LivenessWorkerData = { buffer, dir: livenessDir(runtimeDir), path: livenessSocketPath(runtimeDir, process.pid), pid: process.pid, token };
      owned.add(data.path);
      return new Promise((resolve) => {
        const start = () => {
          const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: data, stdout: false, stderr: false });
          worker = w;
          w.unref();
          w.once('message', (message: LivenessWorkerMessage) => resolve(message.type === 'listening' ? null : message.error));
          w.once('error', (err) => resolve(err.message));
          w.once('exit', (code) => {
            // Stopped on purpose (an orphaned standby leaving before its worker listened): no failure.
            resolve(stopped ? null : `liveness worker exited with code ${code}`);
            // A worker that died would leave a healthy server silent, and the cop would call it wedged.
            if (!stopped) setTimeout(start, WORKER_RESTART_MS).unref();
          });
        };
        start();
      });
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      void worker?.terminate();
      worker = null;
      removeFiles();
    },
  };
}
