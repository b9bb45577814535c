// The fast poller: a new connection every few ms (open loop, with a cap on requests in flight so a long
// outage cannot overflow the accept queue), each request's outcome, timing and serving PID recorded.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { classifyError, classifyStatus, type Outcome } from '@tripod/chaos';
import { pidIn } from './http-get.js';
import type { PollRecord } from './model.js';

export const POLL_INTERVAL_MS = 3;
export const POLL_MAX_IN_FLIGHT = 48;

/** Starts polling `port`; `waitFor(predicate)` resolves with the first record that matches. */
export interface Poller {
  readonly records: PollRecord[];
  waitFor(what: string, predicate: (r: PollRecord) => boolean, waitMs: number): Promise<PollRecord>;
  stop(): Promise<void>;
}

export function startPoller({ port, intervalMs = POLL_INTERVAL_MS, maxInFlight = POLL_MAX_IN_FLIGHT, timeoutMs = 20_000 }: { port: number; intervalMs?: number; maxInFlight?: number; timeoutMs?: number }): Poller {
  const records: PollRecord[] = [];
  const watchers = new Set<(r: PollRecord) => void>();
  let inFlight = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let onIdle: (() => void) | null = null;

  const settle = (record: PollRecord) => {
    records.push(record);
    for (const watch of watchers) watch(record);
    if (--inFlight === 0 && onIdle) onIdle();
  };
  const one = () => {
    const sentAt = performance.now();
    let done = false;
    inFlight++;
    const finish = (outcome: Outcome, pid: number | null) => {
      if (done) return;
      done = true;
      settle({ sentAt, doneAt: performance.now(), outcome, pid });
    };
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => finish(classifyStatus(res.statusCode ?? 0), pidIn(body)));
      res.on('error', (err) => finish(classifyError(err), null));
    });
    req.on('timeout', () => {
      finish('timeout', null);
      req.destroy();
    });
    req.on('error', (err) => finish(classifyError(err), null));
    req.end();
  };
  const tick = () => {
    if (stopped) return;
    if (inFlight < maxInFlight) one();
    timer = setTimeout(tick, intervalMs);
  };
  tick();

  return {
    records,
    /** The first record (already in or still to come) matching `predicate`; rejects after `timeoutMs`. */
    waitFor(what, predicate, waitMs) {
      const found = records.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<PollRecord>((resolve, reject) => {
        const deadline = setTimeout(() => {
          watchers.delete(watch);
          reject(new Error(`poller: no ${what} within ${waitMs} ms`));
        }, waitMs);
        const watch = (record: PollRecord) => {
          if (!predicate(record)) return;
          clearTimeout(deadline);
          watchers.delete(watch);
          resolve(record);
        };
        watchers.add(watch);
      });
    },
    /** Stops sending; resolves once every request in flight has ended. */
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => (onIdle = resolve));
    },
  };
}
