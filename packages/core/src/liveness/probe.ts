// The cop's side of the liveness socket: connect, read one line, parse it; a deadline on all of it.
import { createConnection } from 'node:net';
import type { ProbeResult } from '../heartbeat.js';
import { parseLivenessReport, type LivenessReport } from '../wire/liveness.js';

/** The longest line a liveness worker writes; anything longer is not one. */
const MAX_LINE = 4096;

/** Asks the liveness socket at `path`; resolves with its report or why there was none, never rejects. */
export function probeLiveness(path: string, timeoutMs: number): Promise<ProbeResult<LivenessReport>> {
  const started = Date.now();
  return new Promise((resolve) => {
    let buffer = '';
    let settled = false;
    const socket = createConnection(path);
    const finish = (result: { ok: true; value: LivenessReport } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...result, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish({ ok: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) {
        if (buffer.length > MAX_LINE) finish({ ok: false, error: 'answer too long' });
        return;
      }
      const parsed = parseLivenessReport(buffer.slice(0, newline));
      finish(parsed.ok ? { ok: true, value: parsed.value } : { ok: false, error: parsed.error.message });
    });
    socket.on('end', () => finish({ ok: false, error: 'closed without answering' }));
    socket.on('error', (err) => finish({ ok: false, error: (err as NodeJS.ErrnoException).code ?? err.message }));
  });
}
