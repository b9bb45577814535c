// One line-request, line-answer exchange over a unix socket with a deadline on all of it: the shape of
// every local socket tripod talks to (the control socket, a server's liveness socket, a keeper's socket).
import { createConnection } from 'node:net';

/** Why an exchange produced no answer line. */
export type AskFailure =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'too-long' }
  | { readonly kind: 'error'; readonly code: string; readonly cause: Error };

export type AskResult = ({ readonly ok: true; readonly line: string } | ({ readonly ok: false } & AskFailure)) & { readonly ms: number };

export interface AskOptions {
  /** Written once connected; null sends nothing and only reads. */
  readonly request: string | null;
  readonly timeoutMs: number;
  /** An answer longer than this without a newline is not one (default: no limit). */
  readonly maxLine?: number;
}

/** Connects to `path`, sends the request line, resolves with the first answer line (without its newline); never rejects. */
export function askLine(path: string, options: AskOptions): Promise<AskResult> {
  const started = Date.now();
  const maxLine = options.maxLine ?? Infinity;
  return new Promise((resolve) => {
    let buffer = '';
    let settled = false;
    const socket = createConnection(path);
    const finish = (result: { ok: true; line: string } | ({ ok: false } & AskFailure)) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...result, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish({ ok: false, kind: 'timeout' }), options.timeoutMs);
    socket.setEncoding('utf8');
    if (options.request !== null) {
      const line = options.request.endsWith('\n') ? options.request : `${options.request}\n`;
      socket.on('connect', () => socket.write(line));
    }
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) finish({ ok: true, line: buffer.slice(0, newline) });
      else if (buffer.length > maxLine) finish({ ok: false, kind: 'too-long' });
    });
    socket.on('close', () => finish({ ok: false, kind: 'closed' }));
    socket.on('error', (err) => finish({ ok: false, kind: 'error', code: (err as NodeJS.ErrnoException).code ?? err.message, cause: err }));
  });
}
