// The reference targets: the bare application, the same under Node's cluster module, an idle node.
// Each runs in its own process group, so stopping it reaches a cluster worker too.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { answeringPid } from './http-get.mjs';
import { cleanEnv, freePort } from './ports.mjs';
import { waitFor } from './wait.mjs';

const TARGETS = new URL('../targets/', import.meta.url).pathname;

function spawnScript(script, args) {
  return spawn(process.execPath, [join(TARGETS, script), ...args], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'inherit'], detached: true });
}

function killGroup(child, sig) {
  try {
    process.kill(-child.pid, sig);
  } catch {
    // already gone
  }
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', resolve));
}

/** A plain node target on a fresh port; `kind` is 'bare' or 'cluster'. Resolves once it answers. */
export async function startPlain(kind) {
  const port = await freePort();
  const script = kind === 'cluster' ? 'cluster.mjs' : 'bare.mjs';
  let child = spawnScript(script, [String(port)]);
  const t = {
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
    inject(fault) {
      if (fault !== 'bare-kill') throw new Error(`${kind} has no fault ${fault}`);
      const victim = child;
      const at = Date.now();
      victim.once('exit', () => {
        child = spawnScript(script, [String(port)]);
      });
      killGroup(victim, 'SIGKILL');
      return { at, servedBy: victim.pid, oldPids: [victim.pid] };
    },
    async recover(injected, timeoutMs = 10_000) {
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
export function startIdle() {
  const child = spawnScript('idle.mjs', []);
  return {
    pid: child.pid,
    async stop() {
      killGroup(child, 'SIGKILL');
      await exited(child);
    },
  };
}
