// The reference for a rolling restart: Node's cluster module running the slow-start application in
// BENCH_CLUSTER_WORKERS workers (default 1), reloaded worker by worker on SIGUSR2 as PM2's cluster
// reload does: fork the successor, wait until it listens, then disconnect the old worker (it stops
// accepting, closes its idle keep-alive connections and exits once its requests are done). Prints
// `reloaded` on stdout when every old worker has exited. usage: node cluster-reload.js PORT
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
if (cluster.isPrimary) {
  const workers = Number(process.env.BENCH_CLUSTER_WORKERS ?? 1);
  for (let i = 0; i < workers; i++) cluster.fork();
  const exited = (w: Worker) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve())));
  let reloading = false;
  process.on('SIGUSR2', async () => {
    if (reloading) return;
    reloading = true;
    const old = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const gone: Promise<void>[] = [];
    for (const w of old) {
      const next = cluster.fork();
      await new Promise<void>((resolve) => next.once('listening', () => resolve()));
      gone.push(exited(w));
      w.disconnect();
    }
    await Promise.all(gone);
    reloading = false;
    process.stdout.write('reloaded\n');
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const { default: handler } = await import('./slow-start-app.js');
  createServer(handler).listen(port, '127.0.0.1', 511);
}
