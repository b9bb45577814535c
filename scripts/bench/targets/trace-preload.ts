// Preload (`node --import`) for a start-up trace: which packages a process loads before its first
// listen() and when that listen happens (ms since the process's time origin). Writes one JSON object
// to the file named by BENCH_TRACE_FILE once the first server is listening.
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import net from 'node:net';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const loads: { url: string; at: number }[] = [];
port1.on('message', (m: { url: string; at: number }) => loads.push(m));
port1.unref();
register(new URL('./trace-hooks.js', import.meta.url), { data: { port: port2 }, transferList: [port2] });
const now = () => performance.timeOrigin + performance.now();
const preloadAt = now();

/** `…/node_modules/@scope/name/…` or `…/packages/<name>/…` → the package's name. */
function packageOf(url: string): string {
  const nm = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return nm[1]!;
  const ws = /\/packages\/([^/]+)\//.exec(url);
  return ws ? `@tripod/${ws[1]}` : 'other';
}

const listen = net.Server.prototype.listen;
let traced = false;
net.Server.prototype.listen = function traceListen(this: net.Server, ...args: unknown[]) {
  if (!traced) {
    traced = true;
    const listenAt = now();
    this.once('listening', () => setTimeout(() => {
      const before = loads.filter((l) => l.at <= listenAt && !l.url.startsWith('node:'));
      const packages: Record<string, number> = {};
      for (const l of before) packages[packageOf(l.url)] = (packages[packageOf(l.url)] ?? 0) + 1;
      const t0 = performance.timeOrigin;
      writeFileSync(process.env.BENCH_TRACE_FILE ?? 'trace.json', JSON.stringify({ preloadMs: preloadAt - t0, listenMs: listenAt - t0, packages }));
    }, 50));
  }
  return (listen as (...a: unknown[]) => net.Server).apply(this, args);
};
