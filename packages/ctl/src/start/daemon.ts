// `tripod start --daemon`: detach the cop as far as Node allows (seed 002's steps): new session
// (setsid, so no controlling terminal), cwd `/`, umask 022, stdin /dev/null, stdout and stderr to
// <logDir>/cop.out. Then wait until the instance serves, print the cop's PID and leave.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import { describeProcess, instanceIdFor, tierArgv, tierEnv, waitUntil } from '@tripod/core';
import type { Ctl } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { verifiedHolder } from '../instance/holders.js';
import { out, printJson, say } from '../output.js';
import { copArguments } from './cop-args.js';
import { openOutFile, tailSince, type OutFile } from './out-file.js';
import { isReady } from './ready.js';
import { prepareRuntimeDir } from './runtime-dir.js';

export const DAEMON_UMASK = 0o022;
const POLL_MS = 100;

export interface DaemonOptions {
  readonly waitTimeoutMs: number;
  readonly json: boolean;
}

function spawnDetached(ctl: Ctl, outFile: OutFile): ChildProcess {
  const previous = process.umask(DAEMON_UMASK);
  try {
    return spawn(process.execPath, [...tierArgv('cop'), ...copArguments(ctl)], {
      cwd: '/',
      detached: true,
      stdio: ['ignore', outFile.fd, outFile.fd],
      env: tierEnv(process.env, instanceIdFor(ctl.config.runtimeDir), 'cop'),
    });
  } finally {
    process.umask(previous);
    closeSync(outFile.fd);
  }
}

type Outcome = { kind: 'ready' } | { kind: 'exited'; code: number; how: string } | { kind: 'timeout' };

async function waitReady(ctl: Ctl, child: ChildProcess, timeoutMs: number): Promise<Outcome> {
  let exited: Outcome | null = null;
  child.once('exit', (code, signal) => {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    exited = { kind: 'exited', code: code || (signal ? 128 + (constants.signals[signal] ?? 0) : CTL_EXIT.FAILURE), how };
  });
  child.once('error', (err) => (exited = { kind: 'exited', code: CTL_EXIT.FAILURE, how: `could not be started: ${err.message}` }));
  const ready = await waitUntil(async () => exited !== null || (child.pid !== undefined && (await isReady(ctl.paths, child.pid, ctl.config.listen[0]))), { timeoutMs, intervalMs: POLL_MS });
  return exited ?? (ready ? { kind: 'ready' } : { kind: 'timeout' });
}

/** Starts the instance in the background; resolves with ctl's exit code once it serves, or with why not. */
export async function startDaemon(ctl: Ctl, options: DaemonOptions): Promise<number> {
  prepareRuntimeDir(ctl);
  const running = verifiedHolder(ctl.paths, instanceIdFor(ctl.config.runtimeDir), 'cop');
  if (running.kind === 'ours') {
    say(`already running: cop PID ${running.who.pid} holds ${ctl.paths.lockFile('cop')}`);
    if (options.json) printJson({ pid: running.who.pid, runtimeDir: ctl.config.runtimeDir, alreadyRunning: true });
    else out(String(running.who.pid));
    return CTL_EXIT.OK;
  }
  if (running.kind === 'foreign') {
    say(`${ctl.paths.lockFile('cop')} is held by ${describeProcess(running.pid)}, which is not a cop of this instance; not starting`);
    return CTL_EXIT.FAILURE;
  }
  const outFile = openOutFile(ctl.config.logDir);
  const started = Date.now();
  const child = spawnDetached(ctl, outFile);
  const outcome = await waitReady(ctl, child, options.waitTimeoutMs);
  const tail = () => tailSince(outFile.path, outFile.offset);
  switch (outcome.kind) {
    case 'ready': {
      child.unref();
      say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: cop PID ${child.pid}, runtime dir ${ctl.config.runtimeDir}, output in ${outFile.path}`);
      if (options.json) printJson({ pid: child.pid, runtimeDir: ctl.config.runtimeDir, alreadyRunning: false, readyMs: Date.now() - started });
      else out(String(child.pid));
      return CTL_EXIT.OK;
    }
    case 'exited':
      say(`the cop ${outcome.how} before the instance was ready; the end of ${outFile.path}:\n${tail()}`);
      return outcome.code;
    case 'timeout':
      child.unref();
      say(`the instance was not ready within ${options.waitTimeoutMs / 1000} s; the cop (PID ${child.pid}) is still running ` +
        `(tripod status shows why, tripod stop stops it); the end of ${outFile.path}:\n${tail()}`);
      return CTL_EXIT.FAILURE;
  }
}
