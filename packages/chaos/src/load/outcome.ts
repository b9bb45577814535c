// How a request ended, from the client's side: the classes the invariants are stated in.

export type Outcome = 'ok' | 'refused' | 'reset' | 'timeout' | 'http-5xx' | 'error';
export const OUTCOMES: readonly Outcome[] = ['ok', 'refused', 'reset', 'timeout', 'http-5xx', 'error'];

/** Classifies a client-side error: refused (nobody listening), reset (an accepted connection cut), timeout. */
export function classifyError(err: unknown): Outcome {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'reset';
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT') return 'timeout';
  return 'error';
}

/** Classifies a response by status code. */
export function classifyStatus(status: number): Outcome {
  return status >= 500 ? 'http-5xx' : 'ok';
}
