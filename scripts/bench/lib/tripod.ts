// A real tripod instance for the bench: the built cop binary on the default timings with the bench
// application, in a fresh runtime directory; fault injection and readiness checks; cleanup by PID.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS, TIERS, tierArgv, findLockHolder, freePort, instanceGone, instanceIdFor, parseManagerStatus, readDocument, runtimePaths, scanInstance, servingPid, waitFor, type Tier } from '@tripod/core';
import { cleanEnv } from './env.js';
import type { Injected, TripodTarget } from './model.js';
import { ageMs, isAlive } from './proc.js';
import { parseLogEvents } from './timeline.js';

/** The bench application, compiled beside this file (tripod-server loads it with --app). */
export const APP = new URL('../app.js', import.meta.url).pathname;

/**
 * Each victim runs this long before it is killed: a server's minimum uptime (--min-uptime-ms, default
 * 1000), so the manager replaces it at once every time on its defaults (no restart-policy override).
 */
export const HEALTHY_AFTER_MS = DEFAULTS.minUptimeMs;
const AGE_MARGIN_MS = 200;
/** A server younger than this is still in the cop's start-up grace: a hang would not be counted yet. */
export const PROBED_AFTER_MS = DEFAULTS.startGraceMs + DEFAULTS.checkIntervalMs + 250;

export const TRIPOD_FAULTS = Object.freeze(['server-kill', 'manager-kill', 'both-kill', 'server-stop', 'graceful-restart']);

function signal(pid: number | null | undefined, sig: NodeJS.Signals): boolean {
  if (pid === null || pid === undefined) return false;
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Starts a cop for a fresh runtime directory (extra cop flags in `extraArgs`, the application `app`); resolves once a server answers through the port. */
export async function startTripod(extraArgs: readonly string[] = [], app: string = APP): Promise<TripodTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-bench-'));
  const port = await freePort();
  const out = openSync(join(dir, 'cop-output.log'), 'a');
  // The cop as every launcher starts it (`tripod start`, the shim, the systemd unit): with its V8 flags.
  const args = [...tierArgv('cop'), '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, '--app', app, ...extraArgs];
  const cop = spawn(process.execPath, args, { cwd: dir, env: cleanEnv(), stdio: ['ignore', out, out] });
  closeSync(out);
  const paths = runtimePaths(dir);
  const instance = instanceIdFor(dir);
  const holder = (tier: Tier) => findLockHolder(paths.lockFile(tier));

  const t: TripodTarget & { stable(oldPids?: readonly (number | null | undefined)[]): Promise<false | { manager: number; server: number }> } = {
    kind: 'tripod',
    dir,
    port,
    cop,
    holder,
    /** Manager and server locks held, the heartbeat answered by the server lock's holder, every old PID gone. */
    async stable(oldPids = []) {
      const manager = holder('manager');
      const server = holder('server');
      if (manager === null || server === null || oldPids.some(isAlive)) return false;
      return (await servingPid({ host: '127.0.0.1', port }, 1000, dir)) === server ? { manager, server } : false;
    },
    waitStable(oldPids = [], timeoutMs = 30_000) {
      return waitFor('tripod stable (locks held, heartbeat answered, old processes gone)', () => t.stable(oldPids), timeoutMs, 25);
    },
    /** Waits until the instance is stable and the fault's victims are old enough for the fault to be measured alone. */
    async prepare(fault) {
      await t.waitStable();
      const needs: Partial<Record<Tier, number>> = ({
        'server-kill': { server: HEALTHY_AFTER_MS },
        'manager-kill': { manager: HEALTHY_AFTER_MS },
        'both-kill': { manager: HEALTHY_AFTER_MS, server: HEALTHY_AFTER_MS },
        'server-stop': { server: PROBED_AFTER_MS },
        'graceful-restart': {},
      } as Record<string, Partial<Record<Tier, number>>>)[fault] ?? {};
      // A server's age counts from when the manager started it serving: a promoted standby is an old
      // process with a fresh run, and the restart policy judges the run.
      const serverRunMs = () => {
        const pid = holder('server');
        const serving = readDocument(paths.statusFile, parseManagerStatus)?.servers.find((s) => s.role === 'serving' && s.pid === pid);
        return serving ? Math.min(ageMs(pid) ?? 0, Date.now() - serving.startedAt) : 0;
      };
      const age = (tier: Tier) => (tier === 'server' ? serverRunMs() : (ageMs(holder(tier)) ?? 0));
      await waitFor(`${fault} victims old enough`, () => (Object.entries(needs) as [Tier, number][]).every(([tier, ms]) => age(tier) >= ms + AGE_MARGIN_MS), 30_000, 50);
      // The steady state includes the warm standby (on by default): wait until it can take over.
      await waitFor('the warm standby ready', () => readDocument(paths.statusFile, parseManagerStatus)?.servers.some((s) => s.role === 'standby' && s.standbyReady), 30_000, 50);
    },
    /** Injects `fault` at once; returns the PID serving before it and the PIDs that must be gone after recovery. */
    inject(fault): Injected {
      const manager = holder('manager');
      const server = holder('server');
      const at = Date.now();
      switch (fault) {
        case 'server-kill':
          signal(server, 'SIGKILL');
          return { at, servedBy: server, oldPids: [server] };
        case 'manager-kill':
          signal(manager, 'SIGKILL');
          return { at, servedBy: server, oldPids: [manager, server] };
        case 'both-kill':
          signal(manager, 'SIGKILL');
          signal(server, 'SIGKILL');
          return { at, servedBy: server, oldPids: [manager, server] };
        case 'server-stop':
          signal(server, 'SIGSTOP');
          return { at, servedBy: server, oldPids: [server] };
        case 'graceful-restart':
          signal(cop.pid, 'SIGUSR1');
          return { at, servedBy: server, oldPids: [server] };
        default:
          throw new Error(`unknown fault ${fault}`);
      }
    },
    /** After a fault: waits for a fully stable instance again. */
    recover(injected, timeoutMs = 30_000) {
      return t.waitStable(injected.oldPids, timeoutMs);
    },
    /** Every event of the instance's JSON logs. */
    logEvents() {
      return TIERS.flatMap((tier) => {
        try {
          return parseLogEvents(readFileSync(paths.logFile(tier), 'utf8'));
        } catch {
          return [];
        }
      }).sort((a, b) => a.at - b.at);
    },
    pids() {
      return { cop: cop.pid, manager: holder('manager'), server: holder('server') };
    },
    /** SIGTERM to the cop (graceful stop of the instance), then SIGKILL whatever of it is left, by PID. */
    async stop() {
      if (cop.exitCode === null && cop.signalCode === null) {
        const exited = new Promise((resolve) => cop.once('exit', resolve));
        cop.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 25_000).unref())]);
        if (cop.exitCode === null && cop.signalCode === null) cop.kill('SIGKILL');
      }
      for (const p of scanInstance(instance)) {
        signal(p.pid, 'SIGKILL');
        signal(p.pid, 'SIGCONT');
      }
      await waitFor('instance gone', () => instanceGone(instance, paths), 5000).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await t.waitStable([], 20_000);
  } catch (err) {
    const output = (() => {
      try {
        return readFileSync(join(dir, 'cop-output.log'), 'utf8');
      } catch {
        return '';
      }
    })();
    await t.stop();
    throw new Error(`${(err as Error).message}\n--- cop output ---\n${output}`);
  }
  return t;
}
