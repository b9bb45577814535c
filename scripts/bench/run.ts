#!/usr/bin/env node
// npm run bench: tripod against the same application run bare (and under cluster), on one machine,
// under one load: recovery after kills and hangs, client failures under load, throughput, idle cost.
// Prints the tables and writes them as JSON and markdown under reports/bench/. See docs/benchmarks.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, USAGE, type BenchOptions } from './lib/args.js';
import { answeringPid } from './lib/http-get.js';
import type { PlainTarget, Results } from './lib/model.js';
import { startIdle, startPlain } from './lib/plain.js';
import { copVerdicts } from './lib/timeline.js';
import { buildSections, renderMarkdown, renderText } from './lib/render.js';
import { HEALTHY_AFTER_MS, PROBED_AFTER_MS, startTripod } from './lib/tripod.js';
import { runBoot } from './phases/boot.js';
import { runExec } from './phases/exec.js';
import { runIdle } from './phases/idle.js';
import { runRecovery } from './phases/recovery.js';
import { runThroughput } from './phases/throughput.js';
import { runUnderLoad } from './phases/under-load.js';
import { OVERLOAD_LEVELS, runOverload } from './phases/overload.js';
import { runPool } from './phases/pool.js';
import { runRolling } from './phases/rolling.js';
import { runPinned } from './phases/pool-pinned.js';

const started = Date.now();
const progress = (line: string): boolean => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

function machine(options: BenchOptions): Results['meta'] {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    kernel: release(),
    node: process.version,
    loadavgStart: loadavg().map((v) => Number(v.toFixed(2))),
    options,
    notes: {
      timings: 'tripod runs on its default timings (check 1000 ms, probe timeout 1000 ms, 2 failures, start grace 5000 ms, kill grace 1500 ms)',
      restartPolicy: `the defaults (no override); each victim has served at least ${HEALTHY_AFTER_MS} ms, the server's minimum uptime, so the manager replaces it at once every time`,
      hangs: `before each SIGSTOP the server has run ${PROBED_AFTER_MS} ms, past the cop's start-up grace`,
      cluster: "cluster runs with Node's default scheduling (round-robin on Linux: the primary accepts and hands each connection to the worker)",
    },
  };
}

/** Stops everything started so far, newest first; never throws. */
type Cleanup = () => Promise<void>;

async function stopAll(cleanups: Cleanup[]): Promise<void> {
  for (let stop = cleanups.pop(); stop; stop = cleanups.pop()) {
    await stop().catch((err: Error) => progress(`cleanup failed: ${err.message}`));
  }
}

async function measure(options: BenchOptions, cleanups: Cleanup[]): Promise<Results> {
  const has = (phase: string) => options.only.includes(phase);
  const results: Results = { meta: machine(options), boot: null, recovery: null, load: null, throughput: null, throughputVerdicts: null, idle: null, overload: null, exec: null };
  if (has('boot')) results.boot = await runBoot({ repeat: options.repeat, progress });
  // Overload runs its own instances (a CPU-heavy application), before the others start.
  if (has('overload')) results.overload = await runOverload({ levels: OVERLOAD_LEVELS, windowMs: options.overloadMs, progress });
  if (has('exec')) results.exec = await runExec({ repeat: Math.min(options.repeat, 3), loadWorkers: options.loadWorkers, progress });
  // The pool phase too: each of its targets runs alone.
  if (has('pool')) results.pool = await runPool({ runMs: options.quick ? 2000 : 5000, progress });
  if (has('pinned')) results.pinned = await runPinned({ runMs: options.quick ? 2000 : 5000, rounds: options.quick ? 2 : 3, progress });
  if (has('rolling')) results.rolling = await runRolling({ repeat: options.quick ? 1 : 2, copArgs: options.copArgs, progress });
  if (!['recovery', 'load', 'throughput', 'idle'].some(has)) return results;

  const tripod = await startTripod(options.copArgs);
  cleanups.push(() => tripod.stop());
  const bare = await startPlain('bare');
  cleanups.push(() => bare.stop());
  progress(`tripod on port ${tripod.port} (runtime dir ${tripod.dir}), bare app on port ${bare.port}`);
  let cluster: PlainTarget | null = null;
  if (has('throughput') || has('idle')) {
    const started = await startPlain('cluster');
    cleanups.push(() => started.stop());
    cluster = started;
  }
  // Idle first: before the load phases fill /proc/net/tcp with TIME_WAIT sockets (see docs/benchmarks.md).
  if (has('idle')) {
    const idleNode = startIdle();
    cleanups.push(() => idleNode.stop());
    await tripod.prepare('both-kill'); // manager and server past their start-up
    const { cop, manager, server } = tripod.pids();
    progress(`idle: sampling for ${options.idleMs} ms`);
    results.idle = await runIdle({
      idleMs: options.idleMs,
      processes: [
        { name: 'tripod-cop', pid: cop }, { name: 'tripod-manager', pid: manager }, { name: 'tripod-server (bench app)', pid: server },
        { name: 'bare app', pid: bare.pid }, { name: 'cluster primary (1 worker)', pid: cluster?.pid }, { name: 'idle node (setInterval only)', pid: idleNode.pid },
      ],
    });
  }
  if (has('recovery')) results.recovery = await runRecovery({ tripod, bare, repeat: options.repeat, progress });
  if (has('load')) results.load = await runUnderLoad({ tripod, bare, faultsPerWindow: options.faultsPerWindow, loadWorkers: options.loadWorkers, progress });
  if (has('throughput') && cluster !== null) {
    const { port: clusterPort, pid: clusterPid } = cluster;
    await tripod.waitStable();
    const targets = [
      { name: 'tripod', port: tripod.port, processes: async () => ({ serving: tripod.holder('server'), cop: tripod.cop.pid, manager: tripod.holder('manager') }) },
      { name: 'bare', port: bare.port, processes: async () => ({ serving: bare.pid }) },
      { name: 'cluster', port: clusterPort, processes: async () => ({ serving: await answeringPid(clusterPort), primary: clusterPid }) },
    ];
    const from = Date.now();
    results.throughput = await runThroughput({ targets, rounds: options.rounds, roundMs: options.roundMs, connections: options.connections, progress });
    // No fault is injected here: any heartbeat failure or kill the cop logged is a false alarm.
    results.throughputVerdicts = copVerdicts(tripod.logEvents(), from, Date.now());
  }
  return results;
}

function report(results: Results, outDir: string): void {
  results.meta.durationS = Math.round((Date.now() - started) / 1000);
  results.meta.loadavgEnd = loadavg().map((v) => Number(v.toFixed(2)));
  const sections = buildSections(results);
  const m = results.meta as Results['meta'] & { loadavgEnd: number[]; durationS: number };
  const heading = `tripod bench, ${m.date.slice(0, 19).replace('T', ' ')} UTC — ${m.cpus} × ${m.cpuModel}, Node ${m.node}`;
  const context = `load average ${m.loadavgStart.join(' ')} at start, ${m.loadavgEnd.join(' ')} at end; ${m.durationS} s${m.options.quick ? ' (--quick)' : ''}${m.options.copArgs.length > 0 ? `; extra cop flags: ${m.options.copArgs.join(' ')}` : ''}`;
  process.stdout.write(`\n${heading}\n${context}\n\n${renderText(sections)}\n\n`);
  const dir = resolve(process.cwd(), outDir);
  mkdirSync(dir, { recursive: true });
  const stamp = m.date.replace(/[:.]/g, '-').slice(0, 19);
  const markdown = renderMarkdown(sections, heading).replace('\n\n', `\n\n${context}\n\n`);
  for (const name of [`bench-${stamp}`, 'latest']) {
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(dir, `${name}.md`), markdown);
  }
  process.stdout.write(`written: ${join(dir, `bench-${stamp}.json`)} and .md (also latest.json, latest.md)\n`);
}

async function main() {
  let options: BenchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const cleanups: Cleanup[] = [];
  const interrupted = () => {
    progress('interrupted: stopping what the bench started');
    void stopAll(cleanups).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let results: Results;
  try {
    results = await measure(options, cleanups);
  } finally {
    await stopAll(cleanups);
  }
  report(results, options.out);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
