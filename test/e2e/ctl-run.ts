// Running the tripod ctl binary in tests: a clean environment, captured output, a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { waitUntil } from '@tripod/core';
import { BIN, cleanEnv } from '../helpers/instance.js';

export interface CtlResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tripod ...args` to completion (SIGKILLed at the deadline); resolves with its code and output. */
export function tripod(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CtlResult> {
  const child = spawn(process.execPath, [BIN.tripod, ...args], { cwd: options.cwd ?? '/', env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child, options.timeoutMs ?? 30_000);
}

/** Starts `tripod ...args` and returns the child with its output so far (for commands that run until a signal). */
export function tripodLive(args: readonly string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; done: Promise<CtlResult> } {
  const child = spawn(process.execPath, [BIN.tripod, ...args], { cwd: '/', env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  return { child, output: () => stdout, done: collect(child, 60_000, () => stdout) };
}

function collect(child: ChildProcess, timeoutMs: number, stdoutOf?: () => string): Promise<CtlResult> {
  let stdout = '';
  let stderr = '';
  if (!stdoutOf) child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stdoutOf ? stdoutOf() : stdout, stderr });
    });
  });
}

/**
 * Timings for instances these tests operate on rather than break: the fast test timings, but a
 * probe deadline and failure count that a busy shared machine does not trip (a heartbeat answered in
 * 600 ms under load must not get the manager killed halfway through a ctl test).
 */
export const STEADY = ['--probe-timeout-ms', '2000', '--probe-failures', '3'];

/** Waits until `tripod status` says running (exit 0), i.e. every tier is up and answering. */
export async function waitRunning(runtimeDir: string, timeoutMs = 20_000): Promise<void> {
  const tries: CtlResult[] = [];
  const running = await waitUntil(async () => {
    const result = await tripod(['status', '--runtime-dir', runtimeDir]);
    tries.push(result);
    return result.code === 0;
  }, { timeoutMs, intervalMs: 200 });
  if (running) return;
  const last = tries.at(-1);
  throw new Error(`instance at ${runtimeDir} not running within ${timeoutMs} ms:\n${last?.stdout}${last?.stderr}`);
}

/** Kills `pid` if it is still there (cleanup of processes a test started itself). */
export function killIfAlive(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
