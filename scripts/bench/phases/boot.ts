// Where start-up time goes: spawn → first success of the bare application and of tripod-server started
// exactly as its manager starts it (`--config-json … --inherited-fds 1`, a bound socket at fd 3), the
// packages the server loads before its first listen() (module trace), and what importing each costs.
import { execFileSync, spawn, type StdioOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bindServerHandle, freePort, readJsonFile, validateConfig, waitFor } from '@tripod/core';
import { answeringPid } from '../lib/http-get.js';
import { cleanEnv } from '../lib/env.js';
import { exited, killGroup } from '../lib/plain.js';
import { APP } from '../lib/tripod.js';
import type { BootResult, BootTrace, Progress } from '../lib/model.js';
import { median } from '../lib/stats.js';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const TARGETS = new URL('../targets/', import.meta.url).pathname;
const SERVER_BIN = join(ROOT, 'packages/server/dist/src/bin.js');
/** Packages whose import cost is always shown (the usual suspects), besides what the trace finds. */
const SUSPECTS = ['yargs', 'winston', 'fs-ext', '@tripod/core'];

/** ms from spawn to the first 200 on `port` (polled every 2 ms); then the process group is killed. */
async function spawnToFirstOk(args: readonly string[], port: number, stdio: StdioOptions = 'ignore', env: NodeJS.ProcessEnv = cleanEnv()): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio, detached: true, cwd: ROOT });
  try {
    await waitFor('first success', () => answeringPid(port, '/', 1000), 10_000, 2);
    const ms = performance.now() - t0;
    const traceFile = env.BENCH_TRACE_FILE;
    if (traceFile) await waitFor('trace written', () => readJsonFile<BootTrace>(traceFile), 3000, 10);
    return ms;
  } finally {
    killGroup(child, 'SIGKILL');
    await exited(child);
  }
}

type Run = (extraArgs?: readonly string[], env?: NodeJS.ProcessEnv) => Promise<number>;

const bareRun: Run = async (extraArgs = [], env) => {
  const port = await freePort();
  return spawnToFirstOk([...extraArgs, join(TARGETS, 'bare.js'), String(port)], port, 'ignore', env);
};

/** tripod-server as the manager starts it: the resolved config as JSON and a bound, not listening, socket at fd 3. */
const managedServerRun: Run = async (extraArgs = [], env) => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tripod-bench-boot-'));
  const bound = bindServerHandle('127.0.0.1', port);
  if (!bound.ok) throw new Error(`bind 127.0.0.1:${port} failed (${bound.code})`);
  const { handle } = bound;
  try {
    const config = validateConfig({ runtimeDir: dir, listen: [`127.0.0.1:${port}`], app: APP }, dir);
    const args = [...extraArgs, SERVER_BIN, '--config-json', JSON.stringify(config), '--inherited-fds', '1'];
    return await spawnToFirstOk(args, port, ['ignore', 'ignore', 'ignore', handle.fd, 'ipc'], env);
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

/** One traced start: the packages loaded before the first listen() and when it came. */
async function trace(run: Run): Promise<BootTrace> {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-bench-trace-'));
  const file = join(dir, 'trace.json');
  try {
    await run(['--import', join(TARGETS, 'trace-preload.js')], { ...cleanEnv(), BENCH_TRACE_FILE: file });
    const traced = readJsonFile<BootTrace>(file);
    if (traced === null) throw new Error(`no start-up trace was written to ${file}`);
    return traced;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function importCostMs(specifier: string): number {
  return Number(execFileSync(process.execPath, [join(TARGETS, 'import-cost.js'), specifier], { env: cleanEnv(), cwd: ROOT, encoding: 'utf8' }));
}

function nodeEmptyMs(): number {
  const t0 = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

/** `repeat` interleaved samples of each start; one traced start of each; import costs of what the server loads. */
export async function runBoot({ repeat, progress }: { repeat: number; progress: Progress }): Promise<BootResult> {
  const samples: BootResult['samples'] = { nodeEmpty: [], bare: [], server: [] };
  for (let i = 0; i < repeat; i++) {
    samples.nodeEmpty.push(nodeEmptyMs());
    samples.bare.push(await bareRun());
    samples.server.push(await managedServerRun());
    progress(`boot ${i + 1}/${repeat}: node -e 0 ${samples.nodeEmpty.at(-1)!.toFixed(0)} ms, bare app ${samples.bare.at(-1)!.toFixed(0)} ms, tripod-server ${samples.server.at(-1)!.toFixed(0)} ms`);
  }
  const traces = { bare: await trace(bareRun), server: await trace(managedServerRun) };
  const loaded = Object.keys(traces.server.packages).filter((p) => p !== 'other' && p !== '@tripod/server');
  const importCosts: BootResult['importCosts'] = {};
  for (const pkg of [...new Set([...loaded, ...SUSPECTS])]) {
    const costs = Array.from({ length: Math.min(repeat, 3) }, () => importCostMs(pkg));
    importCosts[pkg] = { ms: median(costs), loadedBeforeListen: loaded.includes(pkg), modules: traces.server.packages[pkg] ?? 0 };
  }
  return { samples, traces, importCosts };
}
