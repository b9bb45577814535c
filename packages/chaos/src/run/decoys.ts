// Processes that must survive the campaign (invariant 4): a "server" of another instance (same
// environment markers, another instance id) and an unrelated look-alike whose command line says
// tripod-server and names our runtime directory. Both are plain idle node processes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { identify, isStillAlive, type ProcessIdentity } from '@tripod/core';
import type { DecoyObservation } from '../analysis/sample.js';

export interface Decoy {
  readonly name: string;
  readonly identity: ProcessIdentity;
}

const IDLE = 'setInterval(() => undefined, 1 << 30)';

/** An instance id that is not `instance` (same shape: 16 hex digits). */
export function otherInstanceId(instance: string): string {
  return createHash('sha256').update(`tripod-chaos decoy of ${instance}`).digest('hex').slice(0, 16);
}

function start(name: string, args: readonly string[], env: NodeJS.ProcessEnv): Decoy | null {
  const child = spawn(process.execPath, args, { env, detached: true, stdio: 'ignore' });
  child.unref();
  const identity = child.pid === undefined ? null : identify(child.pid);
  return identity === null ? null : { name, identity };
}

/** Starts both decoys; returns those that started. */
export function startDecoys(instance: string, runtimeDir: string, baseEnv: NodeJS.ProcessEnv): Decoy[] {
  const other = start('other-instance server', ['-e', IDLE], { ...baseEnv, TRIPOD_INSTANCE: otherInstanceId(instance), TRIPOD_TIER: 'server' });
  const lookAlike = start('look-alike tripod-server', ['-e', `process.title = 'tripod-server'; ${IDLE}`, 'tripod-server', '--runtime-dir', runtimeDir], baseEnv);
  return [other, lookAlike].filter((d): d is Decoy => d !== null);
}

/** Whether each decoy is still the same live process. */
export function observeDecoys(decoys: readonly Decoy[]): DecoyObservation[] {
  return decoys.map((d) => ({ name: d.name, pid: d.identity.pid, starttime: d.identity.starttime, alive: isStillAlive(d.identity) }));
}

/** Ends the decoys (by PID, only if still the same process). */
export function stopDecoys(decoys: readonly Decoy[]): void {
  for (const d of decoys) {
    if (!isStillAlive(d.identity)) continue;
    try {
      process.kill(d.identity.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
