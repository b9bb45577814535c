// The rolling-restart benchmark's application: the bench handler after BENCH_STARTUP_MS (default 50)
// of synchronous start-up work at load (a busy loop, as parsing configuration or building caches
// would be). usage as a module: --app slow-start-app.js; bare: node slow-start-app.js PORT.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import handler from '../app.js';

export const STARTUP_MS = Number(process.env.BENCH_STARTUP_MS ?? 50);

const end = performance.now() + STARTUP_MS;
while (performance.now() < end) {
  // the start-up work
}

export default handler;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  createServer(handler).listen(Number(process.argv[2]), '127.0.0.1', 511);
}
