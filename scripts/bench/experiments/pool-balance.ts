// Experiment behind docs/benchmarks.md "Pool balance": how connections spread over the servers of a
// pool sharing one accept queue, under keep-alive and new-connection load, 10 s each.
// usage: node scripts/bench/dist/experiments/pool-balance.js [SERVERS=2] [SECONDS=10]
// Counts, per server PID (the fixture answers `slow <pid>`), the connections it accepted: a keep-alive
// connection once (at its first response), a new-connection request each time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, readJsonFile, waitFor } from '@tripod/core';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const servers = Number(process.argv[2] ?? 2);
const seconds = Number(process.argv[3] ?? 10);

interface Spread { mode: string; clients: number; connections: Record<string, number>; requests: number; errors: number; maxOverFair: number }

function get(port: number, agent: Agent | false): Promise<{ pid: string; reused: boolean } | null> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent, headers: agent ? {} : { connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ pid: body.trim().split(/\s+/)[1] ?? '?', reused: req.reusedSocket }));
    });
    req.on('error', () => resolve(null));
    req.end();
  });
}

async function spread(port: number, mode: 'keep-alive' | 'new-connection', clients: number): Promise<Spread> {
  const connections: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async () => {
    const agent = mode === 'keep-alive' ? new Agent({ keepAlive: true, maxSockets: 1 }) : false;
    while (Date.now() < until) {
      const r = await get(port, agent);
      if (r === null) { errors++; continue; }
      requests++;
      if (!r.reused) connections[r.pid] = (connections[r.pid] ?? 0) + 1;
    }
    if (agent) agent.destroy();
  }));
  const counts = Object.values(connections);
  const fair = counts.reduce((a, b) => a + b, 0) / servers;
  return { mode, clients, connections, requests, errors, maxOverFair: Number((Math.max(...counts) / fair).toFixed(2)) };
}

const dir = mkdtempSync(join(tmpdir(), 'tripod-balance-'));
const port = await freePort();
const cop = spawn(process.execPath, [join(ROOT, 'packages/cop/dist/src/bin.js'), '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, '--servers', String(servers), '--app', join(ROOT, 'test/fixtures/slow.mjs')], {
  env: { ...process.env, FIXTURE_DELAY_MS: '0' },
  stdio: 'ignore',
});
try {
  await waitFor('the pool serving', () => readJsonFile<{ phase: string; size: number }>(join(dir, 'status.json'))?.phase === 'serving', 30_000);
  for (const [mode, clients] of [['keep-alive', 50], ['new-connection', 16]] as const) {
    console.log(JSON.stringify({ servers, seconds, ...(await spread(port, mode, clients)) }));
  }
} finally {
  cop.kill('SIGTERM');
  await new Promise((resolve) => cop.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
