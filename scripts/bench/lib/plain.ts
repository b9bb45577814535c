// The reference targets: the bare application, the same under Node's cluster module, an idle node.
// Each runs in its own process group, so stopping it reaches a cluster worker too.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { answeringPid } from './http-get.js';
import { cleanEnv } from './env.js';
import type { Injected, PlainTarget } from './model.js';
import { waitFor, freePort } from '@tripod/core';

const TARGETS = new URL('../targets/', import.meta.url).pathname;

function spawnScript(script: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [join(TARGETS, script), ...args], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'inherit'], detached: true });
}

/** Sends `sig` to the child's process group (it leads one: spawned detached); gone is fine. */
export function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    // already gone
  }
}

/** Resolves once the child has exited. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A plain node target on a fresh port; `kind` is 'bare' or 'cluster'. Resolves once it answers. */
export async function startPlain(kind: 'bare' | 'cluster'): Promise<PlainTarget> {
  const port = await freePort();
  const script = kind === 'cluster' ? 'cluster.js' : 'bare.js';
  let child = spawnScript(script, [String(port)]);
  const t: PlainTarget = {
    kind,
    port,
    get pid() {
      return child.pid;
    },
    waitStable(timeoutMs = 10_000) {
      return waitFor(`${kind} answering on ${port}`, () => answeringPid(port, '/', 1000), timeoutMs, 5);
    },
    async prepare() {
      await t.waitStable();
    },
    /** SIGKILL, and start it again as soon as its exit is seen, as a plain supervisor would. */
    inject(fault: string): Injected {
      if (fault !== 'bare-kill') throw new Error(`${kind} has no fault ${fault}`);
      const victim = child;
      const at = Date.now();
      victim.once('exit', () => {
        child = spawnScript(script, [String(port)]);
      });
      killGroup(victim, 'SIGKILL');
      return { at, servedBy: victim.pid, oldPids: [victim.pid] };
    },
    async recover(injected: Injected, timeoutMs = 10_000) {
      await waitFor(`${kind} restarted`, async () => child.pid !== injected.servedBy && (await answeringPid(port, '/', 1000)) !== null, timeoutMs, 5);
    },
    async stop() {
      const last = child;
      killGroup(last, 'SIGTERM');
      const timer = setTimeout(() => killGroup(last, 'SIGKILL'), 3000);
      await exited(last);
      clearTimeout(timer);
      killGroup(last, 'SIGKILL'); // a cluster worker left behind
    },
  };
  await t.waitStable();
  return t;
}

/** A bare idle node process (for idle CPU and memory scale). */
export function startIdle(): { pid: number | undefined; stop(): Promise<void> } {
  const child = spawnScript('idle.js', []);
  return {
    pid: child.pid,
    async stop() {
      killGroup(child, 'SIGKILL');
      await exited(child);
    },
  };
}
