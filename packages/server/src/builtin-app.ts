// The embedded default application: a page that shows it is served by tripod, and static files from a
// directory when one is configured. No request can crash or wedge it: every file step is asynchronous
// and checked (a directory where a file is expected, a file that vanishes between stat and open, a
// FIFO, a read error mid-stream), and symbolic links leading out of the static root are not followed.
import { constants, realpathSync } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { systemErrorCode } from '@tripod/core/errors';

/** A request handler; it may return a promise, whose rejection the host answers with 500. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

// No PID and no start time: the page is public, and a PID tells a local attacker which process to aim at.
const HOME_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>tripod</title></head>
<body>
<h1>Served by tripod</h1>
<p>This page was served by a tripod server. Kill it (<code>tripod status</code> lists the servers) and reload: the manager starts a new server and no connection is refused.</p>
</body></html>
`;

/** Resolves `urlPath` inside `root`, or null when it would escape it. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = normalize(join(root, decoded));
  return isInside(root, path) ? path : null;
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path of `path` if it stays inside `realRoot` after following every link, else null. */
async function realInside(realRoot: string, path: string): Promise<string | null> {
  const real = await realpath(path);
  return isInside(realRoot, real) ? real : null;
}

type Served = 'served' | 'not-found';

function send(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Streams an open regular file; a short read or a read error cuts the connection instead of hanging it. */
function stream(file: FileHandle, size: number, res: ServerResponse): void {
  let sent = 0;
  const body = file.createReadStream({ start: 0, end: Math.max(0, size - 1), autoClose: true });
  body.on('data', (chunk: string | Buffer) => {
    sent += chunk.length;
  });
  body.on('error', () => res.destroy());
  body.on('end', () => {
    if (sent < size) res.destroy(); // the file shrank while we read it
  });
  res.on('close', () => body.destroy());
  if (size === 0) {
    body.destroy();
    res.end();
  } else body.pipe(res);
}

async function serveFile(realRoot: string, root: string, req: IncomingMessage, res: ServerResponse): Promise<Served> {
  const path = resolveStatic(root, req.url ?? '/');
  if (path === null) return 'not-found';
  let file: FileHandle | null = null;
  try {
    let real = await realInside(realRoot, path);
    if (real === null) return 'not-found';
    if ((await stat(real)).isDirectory()) real = await realInside(realRoot, join(real, 'index.html'));
    if (real === null) return 'not-found';
    // O_NOFOLLOW: a link swapped in after realpath is not followed; O_NONBLOCK: a FIFO cannot block the open.
    file = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = await file.stat();
    if (!st.isFile()) return 'not-found';
    res.writeHead(200, { 'content-type': TYPES[extname(real)] ?? 'application/octet-stream', 'content-length': st.size });
    if (req.method === 'HEAD') {
      res.end();
      return 'served';
    }
    const opened = file;
    file = null; // the stream closes it
    stream(opened, st.size, res);
    return 'served';
  } catch (err) {
    const code = systemErrorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EISDIR' || code === 'ENAMETOOLONG') return 'not-found';
    if (code === 'EACCES' || code === 'EPERM') {
      send(res, 403, 'forbidden\n');
      return 'served';
    }
    throw err;
  } finally {
    await file?.close().catch(() => undefined);
  }
}

function realRootOf(staticDir: string | null): string | null {
  if (staticDir === null) return null;
  try {
    return realpathSync(staticDir);
  } catch {
    return staticDir; // not there yet: every lookup below fails cleanly with ENOENT
  }
}

/** The built-in request handler. */
export function createBuiltinApp(staticDir: string | null): RequestHandler {
  const realRoot = realRootOf(staticDir);
  return async (req, res) => {
    if (staticDir !== null && realRoot !== null && req.url !== '/' && (await serveFile(realRoot, staticDir, req, res)) === 'served') return;
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(HOME_PAGE) });
      res.end(HOME_PAGE);
      return;
    }
    send(res, 404, 'not found\n');
  };
}
