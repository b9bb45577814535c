// Experiment behind docs/benchmarks.md finding 1: the manager's ping round trip as /proc/net/tcp grows.
// Starts a tripod instance and a bare app, pings the manager, then grows the host's TIME_WAIT table with
// new-connection load against the bare app (not tripod) and pings again. usage: node scripts/bench/dist/experiments/manager-ping.js
import { join } from 'node:path';
import { controlRequest } from '@tripod/core';
import { runClosedLoop } from '../lib/lean-client.js';
import { startPlain } from '../lib/plain.js';
import { procNetTcpLines } from '../lib/proc.js';
import { startTripod } from '../lib/tripod.js';

const STEPS = 6;
const bare = await startPlain('bare');
const tripod = await startTripod();
try {
  const socket = join(tripod.dir, 'manager.sock');
  for (let step = 0; step < STEPS; step++) {
    const rows = procNetTcpLines();
    const ms = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await controlRequest(socket, { cmd: 'ping' }, 5000);
      ms.push((performance.now() - t0).toFixed(1));
    }
    console.log(`${rows} rows in /proc/net/tcp{,6}: manager ping ${ms.join(' ')} ms`);
    await runClosedLoop({ port: bare.port, connections: 8, durationMs: 3000, keepAlive: false });
  }
} finally {
  await tripod.stop();
  await bare.stop();
}
process.exit(0);
