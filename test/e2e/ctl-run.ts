// Running the tripod ctl binary in tests: a clean environment, captured output, a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { TIERS, findLockHolder, scanInstance, type RuntimePaths } from '@tripod/core';
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

/** True when no process of the instance is left and no lock of it is held. */
export function nothingLeft(instance: string, paths: RuntimePaths): boolean {
  return scanInstance(instance).filter((p) => p.state !== 'Z').length === 0 && TIERS.every((t) => findLockHolder(paths.lockFile(t)) === null);
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
