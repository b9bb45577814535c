// The one request handler every benchmark target runs (bare, cluster worker, tripod --app): a short
// body naming the PID that served it, so a client can tell a replacement process from the old one.
import type { IncomingMessage, ServerResponse } from 'node:http';

const body = Buffer.from(`ok pid=${process.pid}\n`);

/** Answers every request with 200 and `ok pid=<PID>`. */
export default function handler(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
}
