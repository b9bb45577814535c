// Waiting on a condition with a deadline: the one poll loop of the code, the tests, chaos and the bench.
import { TripodError } from '../errors.js';

/** What a probe returns: a value when the condition holds, undefined/null/false while it does not. */
export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Pause between probes (default 50 ms). */
  readonly intervalMs?: number;
  /** Give up early (resolves null) once this says so, e.g. a campaign interrupted by SIGINT. */
  readonly aborted?: () => boolean;
}

/** Resolves after `ms`. Only for fixed measurement windows: to wait for something, use waitUntil. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const holds = <T>(value: T | undefined | null | false): value is T => value !== undefined && value !== null && value !== false;

/** Probes until the condition holds (resolves its value) or the deadline passes (resolves null); a probe that throws rejects. */
export async function waitUntil<T>(probe: Probe<T>, { timeoutMs, intervalMs = 50, aborted }: WaitOptions): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (aborted?.()) return null;
    const value = await probe();
    if (holds(value)) return value;
    if (Date.now() >= deadline) return null;
    await sleep(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
}

/**
 * Like waitUntil, for callers that must have the value: a probe that throws is retried (its last error
 * is reported), and the deadline throws ERR_WAIT_TIMEOUT naming `what`.
 */
export async function waitFor<T>(what: string, probe: Probe<T>, timeoutMs = 10_000, intervalMs = 20): Promise<T> {
  let last: unknown;
  const value = await waitUntil(async () => {
    try {
      return await probe();
    } catch (err) {
      last = err;
      return null;
    }
  }, { timeoutMs, intervalMs });
  if (value !== null) return value;
  const why = last === undefined ? '' : ` (last error: ${last instanceof Error ? last.message : String(last)})`;
  throw new TripodError('ERR_WAIT_TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${what}${why}`, { details: { what, timeoutMs } });
}
