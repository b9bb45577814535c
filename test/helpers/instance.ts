// Starting a real tripod instance (the built cop binary) in a fresh temp directory, and cleaning up
// after it: every process of the instance is found by its TRIPOD_INSTANCE environment and killed by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIERS, TIER_NODE_FLAGS, findLockHolder, freePort, identify, instanceGone, instanceIdFor, runtimePaths, scanInstance, waitFor, withoutTripodEnv, type RuntimePaths, type Tier } from '@tripod/core';
import { servingPid } from './http.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const BIN = {
  cop: join(ROOT, 'packages/cop/dist/src/bin.js'),
  manager: join(ROOT, 'packages/manager/dist/src/bin.js'),
  server: join(ROOT, 'packages/server/dist/src/bin.js'),
  tripod: join(ROOT, 'packages/ctl/dist/src/bin.js'),
  chaos: join(ROOT, 'packages/chaos/dist/src/bin.js'),
} as const;
export const FIXTURES = join(ROOT, 'test/fixtures');

/** Fast timings for tests; every one is still a real bound. Probes keep a 1.5 s deadline so a loaded 2-core
 * machine does not make a healthy tier look wedged. */
export const FAST = ['--check-interval-ms', '250', '--probe-timeout-ms', '1500', '--start-grace-ms', '2000', '--kill-grace-ms', '1000', '--drain-timeout-ms', '3000'];

const madeDirs = new Set<string>();

function removeMadeDirs(): void {
  for (const dir of madeDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    } catch {
      // scripts/run-tests.mjs removes the whole run's temp dir afterwards
    }
  }
}

/** A fresh temp directory; removed by an instance's `cleanup`, and in any case when the test file's process exits. */
export function tempDir(prefix = 'tripod-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (madeDirs.size === 0) process.once('exit', removeMadeDirs);
  madeDirs.add(dir);
  return dir;
}

/** A clean environment: no TRIPOD_* from the caller leaks into the instance. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...withoutTripodEnv(process.env, ['NODE_TEST']), ...extra };
}

export interface Instance {
  readonly dir: string;
  readonly port: number;
  readonly paths: RuntimePaths;
  readonly instance: string;
  readonly cop: ChildProcess;
  output(): string;
  holder(tier: Tier): number | null;
  /** SIGTERM to the cop and wait for it to exit; resolves with its exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** Kills every process of the instance that is still there (by PID) and removes the directory. */
  cleanup(): Promise<void>;
}

export interface StartOptions {
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  readonly dir?: string;
  readonly port?: number;
  /** Wait until a server answers the heartbeat (default true). */
  readonly waitReady?: boolean;
  /** Use the fast test timings (default true); false runs on the documented defaults. */
  readonly fast?: boolean;
  /** The cop's entry script (default: the checkout's); a test whose tiers run as another user passes readableCop(). */
  readonly copBin?: string;
}

/** Spawns a cop for a fresh runtime directory; resolves once a server answers through the port. */
export async function startInstance(options: StartOptions = {}): Promise<Instance> {
  const dir = options.dir ?? tempDir();
  const port = options.port ?? (await freePort());
  const args = [...TIER_NODE_FLAGS.cop, options.copBin ?? BIN.cop, '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, ...(options.fast === false ? [] : FAST), ...(options.args ?? [])];
  const cop = spawn(process.execPath, args, { cwd: dir, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  cop.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  cop.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const paths = runtimePaths(dir);
  const instance = instanceIdFor(dir);
  const exited = new Promise<number | null>((resolve) => cop.once('exit', (code) => resolve(code)));
  const inst: Instance = {
    dir,
    port,
    paths,
    instance,
    cop,
    output: () => out,
    holder: (tier) => findLockHolder(paths.lockFile(tier)),
    async stop(timeoutMs = 15_000) {
      if (cop.exitCode !== null || cop.signalCode !== null) return cop.exitCode;
      cop.kill('SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
      const result = await Promise.race([exited, timer]);
      if (result === 'timeout') throw new Error(`cop did not exit within ${timeoutMs} ms after SIGTERM\n${out}`);
      return result;
    },
    async cleanup() {
      if (cop.exitCode === null && cop.signalCode === null) cop.kill('SIGKILL');
      // Kill again on every pass: a manager killed after its server may have started a new one meanwhile.
      await waitFor('instance processes gone', () => killInstance(instance) === 0, 5000).catch(() => undefined);
      await waitFor('instance gone', () => instanceGone(instance, paths), 5000).catch(() => undefined);
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      } catch {
        // another instance of the same directory may still be writing; the next cleanup removes it
      }
    },
  };
  if (options.waitReady !== false) {
    try {
      // Ready means answering and holding server.lock (a server takes the lock just after it listens),
      // and every lock file naming its holder (a holder writes its PID just after taking the lock).
      await waitFor(`a server answering on port ${port} and holding server.lock`, async () => {
        const pid = await servingPid(port);
        return pid !== null && inst.holder('server') === pid && inst.holder('manager') !== null && TIERS.every((tier) => namesHolder(inst, tier));
      }, 15_000, 50);
    } catch (err) {
      await inst.cleanup();
      throw new Error(`${(err as Error).message}\n--- cop output ---\n${out}`);
    }
  }
  return inst;
}

/** SIGKILLs every live process of `instance`, managers first (so none starts another server); returns how many it found. */
function killInstance(instance: string): number {
  const live = scanInstance(instance).filter((p) => p.state !== 'Z');
  for (const p of [...live].sort((a, b) => Number(b.tier === 'manager') - Number(a.tier === 'manager'))) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return live.length;
}

/** Cleans up instances newest first (later ones may share an earlier one's directory); never throws. */
export async function cleanupAll(instances: readonly Instance[]): Promise<void> {
  for (const inst of [...instances].reverse()) await inst.cleanup().catch(() => undefined);
}

/** The identity of the process holding `tier`'s lock, waiting for one (a tier being replaced holds none for a moment). */
export function holderOf(inst: Instance, tier: Tier, timeoutMs = 10_000): Promise<NonNullable<ReturnType<typeof identify>>> {
  return waitFor(`a process holding ${tier}.lock`, () => {
    const holder = inst.holder(tier);
    return holder === null ? null : identify(holder);
  }, timeoutMs, 20);
}

/** True when `tier`'s lock file names the process holding it. */
function namesHolder(inst: Instance, tier: Tier): boolean {
  const holder = inst.holder(tier);
  try {
    return holder !== null && readFileSync(inst.paths.lockFile(tier), 'utf8') === `${holder}\n`;
  } catch {
    return false;
  }
}
