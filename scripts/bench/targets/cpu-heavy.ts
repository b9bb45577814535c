// The overload benchmark's application: every request spends BENCH_CPU_MS (default 20) of CPU, so a
// few dozen concurrent clients ask for more than one core can give. usage as a module: --app cpu-heavy.js;
// bare: node cpu-heavy.js PORT.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';

const CPU_MS = Number(process.env.BENCH_CPU_MS ?? 20);

/** Burns CPU_MS of CPU, then answers 200. */
export default function handler(_req: IncomingMessage, res: ServerResponse): void {
  const end = performance.now() + CPU_MS;
  while (performance.now() < end) {
    // the work
  }
  res.end('ok\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  createServer(handler).listen(Number(process.argv[2]), '127.0.0.1', 511);
}
