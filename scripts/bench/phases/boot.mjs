// Where start-up time goes: spawn → first success of the bare application and of tripod-server started
// exactly as its manager starts it (`--config-json … --inherited-fds 1`, a bound socket at fd 3), the
// packages the server loads before its first listen() (module trace), and what importing each costs.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bindServerHandle, validateConfig } from '@tripod/core';
import { answeringPid } from '../lib/http-get.mjs';
import { cleanEnv, freePort } from '../lib/ports.mjs';
import { median } from '../lib/stats.mjs';
import { waitFor } from '../lib/wait.mjs';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TARGETS = join(ROOT, 'scripts/bench/targets');
const SERVER_BIN = join(ROOT, 'packages/server/dist/src/bin.js');
const APP = join(ROOT, 'scripts/bench/app.mjs');
/** Packages whose import cost is always shown (the usual suspects), besides what the trace finds. */
const SUSPECTS = ['yargs', 'winston', 'fs-ext', '@tripod/core'];

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // gone
  }
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** ms from spawn to the first 200 on `port` (polled every 2 ms); then the process group is killed. */
async function spawnToFirstOk(args, port, stdio = 'ignore', env = cleanEnv()) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio, detached: true, cwd: ROOT });
  try {
    await waitFor('first success', () => answeringPid(port, '/', 1000), 10_000, 2);
    const ms = performance.now() - t0;
    if (env.BENCH_TRACE_FILE) await waitFor('trace written', () => readJson(env.BENCH_TRACE_FILE), 3000, 10);
    return ms;
  } finally {
    await killGroup(child);
  }
}

async function bareRun(extraArgs = [], env) {
  const port = await freePort();
  return spawnToFirstOk([...extraArgs, join(TARGETS, 'bare.mjs'), String(port)], port, 'ignore', env);
}

/** tripod-server as the manager starts it: the resolved config as JSON and a bound, not listening, socket at fd 3. */
async function managedServerRun(extraArgs = [], env) {
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
}

/** One traced start: the packages loaded before the first listen() and when it came. */
async function trace(run) {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-bench-trace-'));
  const file = join(dir, 'trace.json');
  try {
    await run(['--import', join(TARGETS, 'trace-preload.mjs')], { ...cleanEnv(), BENCH_TRACE_FILE: file });
    return readJson(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function importCostMs(specifier) {
  return Number(execFileSync(process.execPath, [join(TARGETS, 'import-cost.mjs'), specifier], { env: cleanEnv(), cwd: ROOT, encoding: 'utf8' }));
}

function nodeEmptyMs() {
  const t0 = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

/** `repeat` interleaved samples of each start; one traced start of each; import costs of what the server loads. */
export async function runBoot({ repeat, progress }) {
  const samples = { nodeEmpty: [], bare: [], server: [] };
  for (let i = 0; i < repeat; i++) {
    samples.nodeEmpty.push(nodeEmptyMs());
    samples.bare.push(await bareRun());
    samples.server.push(await managedServerRun());
    progress(`boot ${i + 1}/${repeat}: node -e 0 ${samples.nodeEmpty.at(-1).toFixed(0)} ms, bare app ${samples.bare.at(-1).toFixed(0)} ms, tripod-server ${samples.server.at(-1).toFixed(0)} ms`);
  }
  const traces = { bare: await trace(bareRun), server: await trace(managedServerRun) };
  const loaded = Object.keys(traces.server.packages).filter((p) => p !== 'other' && p !== '@tripod/server');
  const importCosts = {};
  for (const pkg of [...new Set([...loaded, ...SUSPECTS])]) {
    const costs = Array.from({ length: Math.min(repeat, 3) }, () => importCostMs(pkg));
    importCosts[pkg] = { ms: median(costs), loadedBeforeListen: loaded.includes(pkg), modules: traces.server.packages[pkg] ?? 0 };
  }
  return { samples, traces, importCosts };
}
