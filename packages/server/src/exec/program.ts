// Starting the kept program through the prelude, with the socket-activation environment, its output
// captured into the log directory, and the sweep that kills whatever it left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { listPids, readEnviron, readStat } from '@tripod/core/proc/read';
import { preludeArgv } from './prelude.js';

/** The environment variable that names a program's keeper (the sweep finds escaped children by it). */
export const ENV_KEEPER = 'TRIPOD_KEEPER';

/** Variables a program must not inherit from the tiers above (they belong to tripod's own service). */
const INHERITED_PROTOCOL_VARS = ['LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES', 'NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID'];

export interface ProgramEnvInput {
  readonly base: NodeJS.ProcessEnv;
  readonly keeperPid: number;
  readonly fdNames: readonly string[];
  readonly notifySocket: string;
  readonly watchdogMs: number;
}

/** The program's environment: the keeper's (with the instance markers), the socket-activation variables, no stale ones. LISTEN_PID is set by the prelude. */
export function programEnv(input: ProgramEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...input.base };
  for (const name of INHERITED_PROTOCOL_VARS) delete env[name];
  env.LISTEN_FDS = String(input.fdNames.length);
  env.LISTEN_FDNAMES = input.fdNames.join(':');
  env.NOTIFY_SOCKET = input.notifySocket;
  env[ENV_KEEPER] = String(input.keeperPid);
  if (input.watchdogMs > 0) env.WATCHDOG_USEC = String(input.watchdogMs * 1000);
  return env;
}

/** Appends the program's stdout and stderr to one file, reopened on demand (logrotate + SIGHUP). */
export class OutputLog {
  private fd: number | null = null;

  constructor(private readonly path: string) {
    this.reopen();
  }

  reopen(): void {
    if (this.fd !== null) closeSync(this.fd);
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'a', 0o644);
  }

  write(chunk: Buffer): void {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, chunk);
    } catch {
      // a full disk must not take the keeper down; the program keeps serving
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export interface StartInput extends ProgramEnvInput {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly backlog: number;
  readonly output: OutputLog;
}

/** Spawns the prelude (which becomes the program) in the keeper's process group, listening fds at 3, 4, …. */
export function startProgram(input: StartInput): ChildProcess {
  const [cmd, ...args] = preludeArgv({ keeperPid: input.keeperPid, backlog: input.backlog, fdCount: input.fdNames.length, argv: input.argv });
  const fds = input.fdNames.map((_, i) => 3 + i);
  const child = spawn(cmd!, args, { cwd: input.cwd, env: programEnv(input), stdio: ['ignore', 'pipe', 'pipe', ...fds] });
  child.stdout!.on('data', (chunk: Buffer) => input.output.write(chunk));
  child.stderr!.on('data', (chunk: Buffer) => input.output.write(chunk));
  return child;
}

/** Every live process this keeper started, its descendants and those that escaped them (found by ENV_KEEPER, started after the keeper). */
export function leftovers(keeperPid: number, keeperStart: number): number[] {
  const found: number[] = [];
  for (const pid of listPids()) {
    if (pid === keeperPid) continue;
    const stat = readStat(pid);
    if (stat === null || stat.state === 'Z' || stat.starttime < keeperStart) continue;
    if (readEnviron(pid)?.get(ENV_KEEPER) === String(keeperPid)) found.push(pid);
  }
  return found;
}

/** kill(2) where "already gone" is no error. */
export function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
