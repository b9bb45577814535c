// Shared by the systemd and container end-to-end tests: a stand-in for systemd's notify socket
// (scripts/systemd/notify-listen.py binds a unix datagram socket and prints each message as a JSON
// line; this side collects them), /proc helpers, and cleanup by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { instanceIdFor, scanInstance, waitFor } from '@tripod/core';
import { ROOT } from '../helpers/instance.js';

export interface Note {
  readonly fields: readonly string[];
  /** The sender's PID from SCM_CREDENTIALS. */
  readonly pid: number | null;
  /** When the line arrived here (ms). */
  readonly at: number;
}

export interface NotifyListener {
  readonly socket: string;
  /** Every message but systemd-notify's BARRIER=1, in arrival order. */
  readonly notes: Note[];
  /** Waits for a message (from index `from` on) that has `field` (exact, or matching a RegExp). */
  next(field: string | RegExp, from?: number, timeoutMs?: number): Promise<{ note: Note; index: number }>;
  stop(): void;
}

/** True when `cmd` is on PATH. */
export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** True when a note carries `field`. */
export function hasField(note: Note, field: string | RegExp): boolean {
  return note.fields.some((f) => (typeof field === 'string' ? f === field : field.test(f)));
}

/** Binds `<dir>/notify.sock` and collects what arrives on it. */
export async function startNotifyListener(dir: string): Promise<NotifyListener> {
  const socket = join(dir, 'notify.sock');
  const child: ChildProcess = spawn('python3', [join(ROOT, 'scripts/systemd/notify-listen.py'), socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  const notes: Note[] = [];
  let listening = false;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const value = JSON.parse(line) as { listening?: string; fields?: string[]; pid?: number | null };
    if (value.listening) listening = true;
    else if (value.fields && value.fields[0] !== 'BARRIER=1') notes.push({ fields: value.fields, pid: value.pid ?? null, at: Date.now() });
  });
  await waitFor('the notify socket bound', () => listening || child.exitCode !== null, 5000);
  if (!listening) throw new Error(`notify-listen.py exited with ${String(child.exitCode)}`);
  return {
    socket,
    notes,
    async next(field, from = 0, timeoutMs = 15_000) {
      return waitFor(`a notification with ${String(field)} (got ${JSON.stringify(notes.slice(from).map((n) => n.fields))})`, () => {
        const index = notes.findIndex((n, i) => i >= from && hasField(n, field));
        return index >= 0 ? { note: notes[index]!, index } : null;
      }, timeoutMs);
    },
    stop: () => void child.kill('SIGKILL'),
  };
}

/** The names of the environment variables of `pid` (empty when it is gone). */
export function environNames(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').filter(Boolean).map((e) => e.slice(0, e.indexOf('=')));
  } catch {
    return [];
  }
}

/** The variables systemd hands a service that must not reach its children. */
export const SYSTEMD_ENV = ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID', 'LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'];

/** FAST with some flags replaced (yargs rejects a flag given twice). */
export function fastWith(overrides: Record<string, string>, base: readonly string[]): string[] {
  const out = [...base];
  for (const [flag, value] of Object.entries(overrides)) {
    const i = out.indexOf(flag);
    if (i >= 0) out[i + 1] = value;
    else out.push(flag, value);
  }
  return out;
}

/** SIGKILLs `pids` and every process of the instance in `dir` (found by its environment), then removes `dir`. */
export function killAllAndRemove(dir: string, pids: readonly (number | undefined)[] = []): void {
  const targets = [...pids, ...scanInstance(instanceIdFor(dir)).map((p) => p.pid)];
  for (const pid of targets) {
    if (pid === undefined) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
