// Sending sd_notify messages. Node cannot send unix datagrams, so each message is one run of
// `systemd-notify VAR=VALUE…`. Runs are serialised, so systemd sees messages in the order they were sent.
import { spawn } from 'node:child_process';

/** Delivers one notification (a list of `VAR=VALUE` fields) to the service manager. */
export interface NotifyTransport {
  send(fields: readonly string[]): Promise<void>;
}

export interface SpawnTransportOptions {
  /** The notify socket (NOTIFY_SOCKET). */
  readonly socket: string;
  /** Default `systemd-notify`, looked up on PATH. */
  readonly binary?: string;
  /** A run that has not exited after this is killed (systemd-notify waits up to 5 s for its barrier). */
  readonly timeoutMs?: number;
}

export const NOTIFY_RUN_TIMEOUT_MS = 10_000;

/** Runs systemd-notify once; rejects with the reason it failed. */
function runSystemdNotify(binary: string, socket: string, fields: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // No --no-block: systemd-notify then waits (BARRIER=1) until the manager has read the message, so
    // the message is attributed to our unit even when sent under systemd-notify's own PID.
    const child = spawn(binary, [...fields], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NOTIFY_SOCKET: socket },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${binary} ${fields.join(' ')} failed (${signal ?? `exit ${String(code)}`}): ${stderr.trim()}`));
    });
  });
}

/** A transport that spawns systemd-notify, one run at a time. */
export function spawnNotifyTransport(options: SpawnTransportOptions): NotifyTransport {
  const binary = options.binary ?? 'systemd-notify';
  const timeoutMs = options.timeoutMs ?? NOTIFY_RUN_TIMEOUT_MS;
  let tail: Promise<void> = Promise.resolve();
  return {
    send(fields) {
      const run = tail.then(() => runSystemdNotify(binary, options.socket, fields, timeoutMs));
      tail = run.catch(() => undefined);
      return run;
    },
  };
}
