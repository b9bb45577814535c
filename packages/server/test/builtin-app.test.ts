// No request can crash or wedge the server: the built-in application and the host, in-process over a
// real loopback socket.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createBuiltinApp, type RequestHandler } from '../src/builtin-app.js';
import { createHost, type Host } from '../src/host.js';
import { createLiveness, type Liveness } from '../src/liveness/monitor.js';

let dir: string;
let root: string;
let host: Host;
let port: number;
const appErrors: unknown[] = [];
let app: RequestHandler;
let liveness: Liveness;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-app-'));
  root = join(dir, 'www');
  mkdirSync(join(root, 'sub', 'index.html'), { recursive: true }); // a directory where a file is expected
  writeFileSync(join(root, 'hello.txt'), 'hello\n');
  writeFileSync(join(dir, 'secret.txt'), 'secret\n');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'out.txt'));
  symlinkSync(dir, join(root, 'updir'));
  symlinkSync(join(root, 'hello.txt'), join(root, 'in.txt'));
  execFileSync('mkfifo', [join(root, 'fifo.txt')]);
  const builtin = createBuiltinApp(root);
  app = builtin;
  liveness = createLiveness();
  host = createHost((req, res) => app(req, res), (err) => appErrors.push(err), liveness);
  await host.listenAddress('127.0.0.1', 0, 64);
  port = (host.server.address() as AddressInfo).port;
});
after(() => {
  liveness.stop();
  host.server.close();
  host.server.closeAllConnections();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

test('files inside the root are served; links out of the root are not followed', async () => {
  assert.deepEqual(await get('/hello.txt'), { status: 200, body: 'hello\n' });
  assert.deepEqual(await get('/in.txt'), { status: 200, body: 'hello\n' });
  assert.equal((await get('/out.txt')).status, 404);
  assert.equal((await get('/updir/secret.txt')).status, 404);
  assert.equal((await get('/../secret.txt')).status, 404);
});

test('a directory where a file is expected, a FIFO, a missing file and a bad escape answer 404 without wedging', async () => {
  for (const path of ['/sub/', '/sub/index.html', '/fifo.txt', '/nope.txt', '/hello.txt/x', '/%E0%A4%A', '/%00']) {
    assert.equal((await get(path)).status, 404, path);
  }
  assert.deepEqual(await get('/hello.txt'), { status: 200, body: 'hello\n' }, 'still serving');
});

test('the built-in page names no PID', async () => {
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.ok(!page.body.includes(String(process.pid)), 'no PID in the page');
  assert.doesNotMatch(page.body, /PID/);
});

test('application errors thrown, rejected or emitted answer 500 and are reported, never thrown', async () => {
  const cases: RequestHandler[] = [
    () => {
      throw new Error('thrown');
    },
    async () => {
      throw new Error('rejected');
    },
    (_req, res) => {
      res.emit('error', new Error('emitted'));
    },
  ];
  for (const handler of cases) {
    app = handler;
    const before = appErrors.length;
    assert.equal((await get('/x')).status, 500);
    assert.equal(appErrors.length, before + 1);
  }
  app = createBuiltinApp(root);
  assert.equal((await get('/hello.txt')).status, 200);
});

test('a file that shrinks while being sent cuts that response, not the server', async () => {
  const big = join(root, 'big.bin');
  writeFileSync(big, Buffer.alloc(8 * 1024 * 1024));
  app = async (req, res) => {
    const served = createBuiltinApp(root)(req, res);
    writeFileSync(big, 'tiny'); // truncated between stat and the end of the read
    await served;
  };
  await get('/big.bin').then(
    (r) => assert.ok(r.body.length < 8 * 1024 * 1024, 'not the whole file'),
    (err: Error) => assert.match(err.message, /aborted|socket hang up|ECONNRESET/),
  );
  app = createBuiltinApp(root);
  assert.equal((await get('/hello.txt')).status, 200);
});
