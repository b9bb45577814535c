// The container's process model without a Docker engine: `unshare --pid --fork --mount-proc` gives a
// new PID namespace whose PID 1 is tini, as in docker/Dockerfile. tini forwards SIGTERM to the cop
// (a graceful stop of the whole instance, exit 0) and reaps what the instance orphans.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { findLockHolder, freePort, instanceIdFor, runtimePaths, scanInstance, waitFor } from '@tripod/core';
import { servingPid } from '../helpers/http.js';
import { BIN, FAST, cleanEnv, tempDir } from '../helpers/instance.js';
import { hasCommand, killAllAndRemove } from './systemd-helpers.js';

const missing = !hasCommand('tini')
  ? 'tini is not installed (apt-get install tini; .ci/run installs it)'
  : !hasCommand('unshare')
    ? 'unshare is not installed'
    : process.getuid?.() !== 0
      ? 'unshare --pid needs root'
      : false;
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups.reverse()) c();
});

interface ProcInfo {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
}

/** State and parent of `pid` from /proc/PID/stat (fields after the last ")"), or null when it is gone. */
function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: state!, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** The children of `parent`, from a scan of /proc (host PIDs). */
function childrenOf(parent: number): ProcInfo[] {
  const found: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(Number(name));
    if (info?.ppid === parent) found.push(info);
  }
  return found;
}

interface Container {
  readonly unshare: ChildProcess;
  readonly exited: Promise<number | null>;
  /** tini as the host sees it: the child of the unshare process. */
  readonly tini: number;
  holder(tier: 'cop' | 'manager' | 'server'): number | null;
  output(): string;
}

async function startContainer(dir: string, port: number): Promise<Container> {
  const paths = runtimePaths(dir);
  const unshare = spawn('unshare', ['--pid', '--fork', '--mount-proc', 'tini', '--', process.execPath, BIN.cop, '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, ...FAST], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  unshare.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  unshare.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => unshare.once('exit', (code) => resolve(code)));
  // Killing tini (PID 1) makes the kernel kill the whole namespace.
  cleanups.push(() => killAllAndRemove(dir, unshare.exitCode === null && unshare.signalCode === null ? [...childrenOf(unshare.pid!).map((p) => p.pid), unshare.pid] : []));
  const tini = await waitFor('tini started by unshare', () => childrenOf(unshare.pid!)[0]?.pid, 5000);
  await waitFor(`a server answering on port ${port} and holding server.lock`, async () => (await servingPid(port)) !== null && findLockHolder(paths.lockFile('server')) !== null, 20_000, 50).catch((err: Error) => {
    throw new Error(`${err.message}\n${out}`);
  });
  return { unshare, exited, tini, holder: (tier) => findLockHolder(paths.lockFile(tier)), output: () => out };
}

test('tini as PID 1: the instance serves, orphans are reaped, SIGTERM to tini stops everything gracefully', { skip: missing }, async () => {
  const dir = tempDir('tripod-pid1-');
  const port = await freePort();
  const c = await startContainer(dir, port);
  const cop = c.holder('cop')!;
  assert.equal(procInfo(cop)?.ppid, c.tini, 'the cop is tini\'s child');
  assert.match(readFileSync(`/proc/${c.tini}/status`, 'utf8'), /^NSpid:\s+\d+\s+1$/m, 'tini is PID 1 in its namespace');

  // SIGKILL the manager: its server is orphaned, re-parented to tini (no subreaper in between),
  // drained by the cop, and must then be reaped, not left a zombie.
  const manager = c.holder('manager')!;
  const server = c.holder('server')!;
  process.kill(manager, 'SIGKILL');
  await waitFor('a new manager', () => {
    const pid = c.holder('manager');
    return pid !== null && pid !== manager;
  }, 15_000);
  await waitFor('a new server answering', async () => {
    const holder = c.holder('server');
    return holder !== null && holder !== server && (await servingPid(port)) !== null;
  }, 15_000);
  const orphan = procInfo(server);
  assert.ok(orphan === null || orphan.ppid === c.tini, `the old server's parent is tini, not ${String(orphan?.ppid)}`);
  await waitFor(`the old server ${server} reaped (no /proc entry, not even a zombie)`, () => procInfo(server) === null, 15_000);
  await waitFor('the killed manager reaped', () => procInfo(manager) === null, 5000);
  const zombies = childrenOf(c.tini).filter((p) => p.state === 'Z');
  assert.deepEqual(zombies, [], 'no zombie among tini\'s children');

  // SIGTERM to PID 1 (what `docker stop` sends): tini forwards it to the cop, which stops the instance.
  const before = c.output().length;
  process.kill(c.tini, 'SIGTERM');
  assert.equal(await c.exited, 0, c.output());
  const stopLog = c.output().slice(before);
  // The kernel kills whatever is left when PID 1 exits, so check that the cop stopped the tiers itself.
  assert.match(stopLog, /kill\.exited .*targetTier=manager .*after=SIGTERM/, stopLog);
  assert.doesNotMatch(stopLog, /SIGKILL/, stopLog);
  for (const tier of ['cop', 'manager', 'server'] as const) assert.equal(c.holder(tier), null, `${tier}.lock free`);
  assert.deepEqual(scanInstance(instanceIdFor(dir)).map((p) => p.pid), [], 'no process of the instance is left');
});
