// wrk, the reference HTTP load generator: is it installed, run it, and (pure) read its report.
import { spawn, spawnSync } from 'node:child_process';

export interface WrkResult {
  readonly rps: number;
  readonly requests: number;
  /** Connect, read, write and timeout errors plus non-2xx/3xx responses. */
  readonly errors: number;
  readonly p99Ms: number | null;
}

/** wrk's version line, or null when wrk is not installed. */
export function wrkVersion(): string | null {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) return null;
  const line = `${probe.stdout}${probe.stderr}`.split('\n').find((l) => l.startsWith('wrk '));
  return line?.trim() ?? 'wrk';
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** "1.25ms" → 1.25; "850.00us" → 0.85; null when unreadable. */
export function wrkDurationMs(text: string): number | null {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : null;
}

/** Reads `wrk --latency` output; throws when it has no Requests/sec line (wrk failed). */
export function parseWrk(output: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const total = /^\s*(\d+) requests in /m.exec(output);
  if (!rps || !total) throw new Error(`wrk gave no figures:\n${output}`);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const errors = (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  const p99 = /^\s*99%\s+(\S+)/m.exec(output);
  return { rps: Number(rps[1]), requests: Number(total[1]), errors, p99Ms: p99 ? wrkDurationMs(p99[1]!) : null };
}

/**
 * Runs wrk against 127.0.0.1:`port` with `connections` for `durationMs`; `close` sends `Connection:
 * close` (a new connection per request); `cpu` pins wrk to that core (taskset, util-linux).
 */
export function runWrk({ port, connections, durationMs, close, threads = 2, cpu }: { port: number; connections: number; durationMs: number; close: boolean; threads?: number; cpu?: number }): Promise<WrkResult> {
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${Math.max(1, Math.round(durationMs / 1000))}s`, '--latency'];
  if (close) args.push('-H', 'Connection: close');
  args.push(`http://127.0.0.1:${port}/`);
  return new Promise((resolve, reject) => {
    const child = cpu === undefined ? spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn('taskset', ['-c', String(cpu), 'wrk', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', () => {
      try {
        resolve(parseWrk(out));
      } catch (err) {
        reject(err);
      }
    });
  });
}
