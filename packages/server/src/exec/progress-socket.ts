// The keeper's side of the liveness contract every server keeps (core/wire/liveness.ts): one JSON line
// on `<runtimeDir>/live/<pid>.sock` per connection, so the cop judges a keeper exactly as it judges a
// Node server. Progress is the program's (a proof probe its own processes accepted, or WATCHDOG=1);
// requests are the program's own business, so nothing is ever "in flight" here. The keeper runs no
// application: its main thread answers at once, and a silent socket means a stopped or starved keeper.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { livenessDir, livenessSocketPath } from '@tripod/core/liveness/socket-path';
import { formatLivenessReport, LIVENESS_VERSION, type LivenessReport } from '@tripod/core/wire/liveness';

export interface ProgressSource {
  /** ms since the program last showed progress (0 while not judged). */
  progressAgeMs(): number;
  /** Proofs and WATCHDOG=1 so far. */
  turns(): number;
}

/** The report for one connection. */
export function keeperReport(pid: number, token: string, source: ProgressSource): LivenessReport {
  return { version: LIVENESS_VERSION, pid, token, progressAgeMs: source.progressAgeMs(), turns: source.turns(), lagMs: 0, inflight: 0, started: 0, completed: 0, oldestInflightMs: 0 };
}

export interface ProgressSocket {
  readonly path: string;
  close(): void;
}

/** Serves the keeper's liveness socket (directory 0700, socket 0600, as the Node server's worker does). */
export function serveProgress(runtimeDir: string, source: ProgressSource, pid: number = process.pid): Promise<ProgressSocket> {
  const token = randomBytes(16).toString('hex');
  const path = livenessSocketPath(runtimeDir, pid);
  mkdirSync(livenessDir(runtimeDir), { recursive: true, mode: 0o700 });
  chmodSync(livenessDir(runtimeDir), 0o700);
  rmSync(path, { force: true });
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(formatLivenessReport(keeperReport(pid, token, source)));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      chmodSync(path, 0o600);
      resolve({
        path,
        close() {
          server.close();
          rmSync(path, { force: true });
        },
      });
    });
  });
}
