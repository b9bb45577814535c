// The embedded default application: a page that shows it is served by tripod (never which PID: the page
// is public), and static files from a directory when one is configured.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function homePage(startedAt: Date): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>tripod</title></head>
<body>
<h1>Served by tripod</h1>
<p>This page was served by a tripod server running since ${startedAt.toISOString()}.</p>
<p>Kill it (<code>tripod status</code> names its PID) and reload: the manager starts a new server and no connection is refused.</p>
</body></html>
`;
}

/** Resolves `urlPath` inside `root`, or null when it would escape it. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  const path = normalize(join(root, decoded));
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  return path;
}

function serveFile(root: string, req: IncomingMessage, res: ServerResponse): boolean {
  const path = resolveStatic(root, req.url ?? '/');
  if (path === null) return false;
  let file = path;
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    const size = statSync(file).size;
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  } catch {
    return false;
  }
}

/** The built-in request handler. */
export function createBuiltinApp(staticDir: string | null): RequestHandler {
  const startedAt = new Date();
  return (req, res) => {
    if (staticDir !== null && req.url !== '/' && serveFile(staticDir, req, res)) return;
    if (req.url === '/' || req.url?.startsWith('/?')) {
      const body = homePage(startedAt);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  };
}
