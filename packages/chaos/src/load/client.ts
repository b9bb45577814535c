// A bounded HTTP load generator for loopback targets: workers that open a new connection per request
// and workers that keep one connection alive, each request's outcome and latency recorded.
import { Agent, request } from 'node:http';
import { classifyError, classifyStatus, OUTCOMES, type Outcome } from './outcome.js';

export type ConnectionMode = 'new' | 'keep-alive';

export interface RequestRecord {
  /** Wall-clock ms when the request started. */
  readonly at: number;
  readonly ms: number;
  readonly outcome: Outcome;
  readonly mode: ConnectionMode;
  readonly status: number | null;
  readonly error: string | null;
}

export interface LoadOptions {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** Workers opening a new connection per request. */
  readonly newConnectionWorkers: number;
  /** Workers reusing one keep-alive connection each. */
  readonly keepAliveWorkers: number;
  /** Stop after this long (required: every load is bounded). */
  readonly durationMs: number;
  /** Stop after this many requests in all. */
  readonly maxRequests: number;
  readonly timeoutMs: number;
  /** Pause between one worker's requests (0: back to back). */
  readonly pauseMs: number;
  /** Requests per second over all workers together (0: no limit). */
  readonly ratePerSec: number;
}

export interface LoadSummary {
  readonly total: number;
  readonly counts: Readonly<Record<Outcome, number>>;
  readonly maxMs: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

export const LOAD_DEFAULTS: Omit<LoadOptions, 'port'> = {
  host: '127.0.0.1',
  path: '/',
  newConnectionWorkers: 2,
  keepAliveWorkers: 2,
  durationMs: 5000,
  maxRequests: 1_000_000,
  timeoutMs: 10_000,
  pauseMs: 0,
  ratePerSec: 0,
};

/** Spreads request starts evenly at `ratePerSec` over all workers; each worker awaits its slot. */
export function createPacer(ratePerSec: number, now: () => number = Date.now): () => Promise<void> {
  if (ratePerSec <= 0) return () => Promise.resolve();
  const gapMs = 1000 / ratePerSec;
  let next = now();
  return () => {
    const t = now();
    // A worker that fell behind (a slow request) does not earn a burst: slots never lie in the past.
    const slot = Math.max(t, next);
    next = slot + gapMs;
    const wait = slot - t;
    return wait < 1 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
  };
}

function once(options: LoadOptions, agent: Agent | false, mode: ConnectionMode): Promise<RequestRecord> {
  const at = Date.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: Outcome, status: number | null, error: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ at, ms: Date.now() - at, outcome, mode, status, error });
    };
    const req = request({ host: options.host, port: options.port, path: options.path, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => finish(classifyStatus(res.statusCode ?? 0), res.statusCode ?? null, null));
      res.on('error', (err) => finish(classifyError(err), res.statusCode ?? null, (err as NodeJS.ErrnoException).code ?? err.message));
    });
    const timer = setTimeout(() => {
      finish('timeout', null, `no response within ${options.timeoutMs} ms`);
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err) => finish(classifyError(err), null, (err as NodeJS.ErrnoException).code ?? err.message));
    req.end();
  });
}

/** A running load; `done` resolves with the summary once the duration or count is reached, or `stop()` is called. */
export interface Load {
  readonly done: Promise<LoadSummary>;
  stop(): void;
}

/** Starts load against `options.port`; `onRecord` sees every request as it ends. */
export function startLoad(partial: Partial<LoadOptions> & { port: number }, onRecord?: (r: RequestRecord) => void): Load {
  const options: LoadOptions = { ...LOAD_DEFAULTS, ...partial };
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const startedAt = Date.now();
  const deadline = startedAt + options.durationMs;
  let total = 0;
  let maxMs = 0;
  let stopped = false;
  const agents: Agent[] = [];
  const running = () => !stopped && Date.now() < deadline && total < options.maxRequests;
  const pace = createPacer(options.ratePerSec);

  const worker = async (mode: ConnectionMode) => {
    const agent = mode === 'keep-alive' ? new Agent({ keepAlive: true, maxSockets: 1 }) : false;
    if (agent) agents.push(agent);
    while (running()) {
      await pace();
      if (!running()) break;
      total++;
      const record = await once(options, agent, mode);
      counts[record.outcome]++;
      maxMs = Math.max(maxMs, record.ms);
      onRecord?.(record);
      if (options.pauseMs > 0) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const workers = [
    ...Array.from({ length: options.newConnectionWorkers }, () => worker('new')),
    ...Array.from({ length: options.keepAliveWorkers }, () => worker('keep-alive')),
  ];
  const done = Promise.all(workers).then(() => {
    for (const agent of agents) agent.destroy();
    return { total, counts: { ...counts }, maxMs, startedAt, endedAt: Date.now() };
  });
  return { done, stop: () => (stopped = true) };
}
