// Processes that must survive every kill: a tier of another instance, and an unrelated look-alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { identify, isStillAlive, waitFor, type ProcessIdentity } from '@tripod/core';
import { FIXTURES, cleanEnv } from './instance.js';

export interface Decoy {
  readonly child: ChildProcess;
  readonly who: ProcessIdentity;
  /** True while the very same process (pid and starttime) is alive. */
  survives(): boolean;
  kill(): void;
}

/** Starts `forever.mjs` with extra environment and argv; resolves once it runs. */
export async function spawnDecoy(env: Record<string, string>, args: readonly string[] = []): Promise<Decoy> {
  const child = spawn(process.execPath, [join(FIXTURES, 'forever.mjs'), ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'ignore'] });
  await waitFor('decoy ready', () => new Promise<boolean>((resolve) => child.stdout!.once('data', () => resolve(true))), 5000);
  const who = await waitFor('decoy identity', () => identify(child.pid!), 2000);
  return {
    child,
    who,
    survives: () => isStillAlive(who),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** A tier of another instance, and a process whose argv and title look like a server of ours. */
export async function spawnDecoys(runtimeDir: string): Promise<Decoy[]> {
  return [
    await spawnDecoy({ TRIPOD_INSTANCE: 'another-instance-0000', TRIPOD_TIER: 'server' }),
    await spawnDecoy({}, ['--title', 'tripod-server', '--runtime-dir', runtimeDir]),
  ];
}
