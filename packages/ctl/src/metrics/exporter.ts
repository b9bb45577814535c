// A small HTTP exporter run by ctl itself (never by the cop or the manager, whose event loops must not
// accept): GET /metrics gathers a fresh scrape each time.
import { createServer, type Server } from 'node:http';
import { METRICS_CONTENT_TYPE, type Listener } from '@tripod/core';

/** Serves `/metrics` from `scrape()` on `listener`; resolves once listening. */
export function serveMetrics(listener: Listener, scrape: () => Promise<string>): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('tripod metrics exporter: GET /metrics\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found; try /metrics\n');
      return;
    }
    scrape().then(
      (body) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : body),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`scrape failed: ${err.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listener.port, listener.host, () => resolve(server));
  });
}
