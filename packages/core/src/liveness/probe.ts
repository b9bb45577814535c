// The cop's side of the liveness socket: connect, read one line, parse it; a deadline on all of it.
import type { ProbeResult } from '../heartbeat.js';
import { askLine, type AskFailure } from '../net/ask-line.js';
import { parseLivenessReport, type LivenessReport } from '../wire/liveness.js';

/** The longest line a liveness worker writes; anything longer is not one. */
const MAX_LINE = 4096;

/** Asks the liveness socket at `path`; resolves with its report or why there was none, never rejects. */
export async function probeLiveness(path: string, timeoutMs: number): Promise<ProbeResult<LivenessReport>> {
  const answer = await askLine(path, { request: null, timeoutMs, maxLine: MAX_LINE });
  if (!answer.ok) {
    return { ok: false, error: describeFailure(answer, timeoutMs), ms: answer.ms };
  }
  const parsed = parseLivenessReport(answer.line);
  return parsed.ok ? { ok: true, value: parsed.value, ms: answer.ms } : { ok: false, error: parsed.error.message, ms: answer.ms };
}

function describeFailure(failure: AskFailure, timeoutMs: number): string {
  switch (failure.kind) {
    case 'timeout':
      return `no answer within ${timeoutMs} ms`;
    case 'closed':
      return 'closed without answering';
    case 'too-long':
      return 'answer too long';
    case 'error':
      return failure.code;
  }
}
