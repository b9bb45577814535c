// The built-in peer: Node's cluster module with one worker running the benchmark handler. The default
// scheduling policy is kept (round-robin on Linux: the primary accepts every connection and passes it
// to the worker over IPC). usage: node cluster.js PORT
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import handler from '../app.js';

const port = Number(process.argv[2]);
if (cluster.isPrimary) {
  cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  createServer(handler).listen(port, '127.0.0.1', 511);
}
