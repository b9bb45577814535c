// `tripod logs`, `tripod metrics` (text and the exporter ctl runs itself) and `tripod doctor` against a
// real instance.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { startInstance, type Instance } from '../helpers/instance.js';
import { STEADY, killIfAlive, tripod, tripodLive, waitRunning } from './ctl-run.js';
import { waitFor, freePort } from '@tripod/core';

let inst: Instance;
const servers: Server[] = [];
const children: (number | undefined)[] = [];
before(async () => {
  inst = await startInstance({ args: STEADY });
});
beforeEach(() => waitRunning(inst.dir));
after(async () => {
  for (const pid of children) killIfAlive(pid);
  for (const s of servers) s.close();
  await inst.cleanup();
});

function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('logs prints readable lines of every tier; --tier and -n narrow it; --json prints the raw lines', async () => {
  const all = await tripod(['logs', '-n', '50', '--runtime-dir', inst.dir]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} cop\[\d+\] info cop\.start /m);
  assert.match(all.stdout, /^\S+ \S+ manager\[\d+\] info server\.ready /m);
  const server = await tripod(['logs', '--tier', 'server', '-n', '1', '--runtime-dir', inst.dir]);
  assert.equal(server.stdout.trim().split('\n').length, 1);
  assert.match(server.stdout, / server\[\d+\] /);
  const raw = await tripod(['logs', '--json', '-n', '3', '--runtime-dir', inst.dir]);
  for (const line of raw.stdout.trim().split('\n')) assert.equal(typeof JSON.parse(line).message, 'string');
});

test('logs -f prints what the manager logs next, and exits 0 on SIGINT', async () => {
  const follow = tripodLive(['logs', '-f', '-n', '0', '--tier', 'manager', '--runtime-dir', inst.dir]);
  children.push(follow.child.pid);
  await new Promise((resolve) => setTimeout(resolve, 500)); // let it reach the end of the file before the event
  assert.equal((await tripod(['server', 'restart', '--runtime-dir', inst.dir])).code, 0);
  await waitFor('the follower printing the new server', () => /manager\[\d+\] info server\.spawn/.test(follow.output()), 10_000);
  follow.child.kill('SIGINT');
  const done = await follow.done;
  assert.equal(done.code, 0, done.stderr);
});

test('metrics prints Prometheus text; --listen serves /metrics from the ctl process', async () => {
  const text = await tripod(['metrics', '--runtime-dir', inst.dir]);
  assert.equal(text.code, 0, text.stderr);
  for (const tier of ['cop', 'manager', 'server']) assert.match(text.stdout, new RegExp(`^tripod_up\\{tier="${tier}"\\} 1$`, 'm'));
  assert.match(text.stdout, new RegExp(`^tripod_listen_backlog\\{listener="127\\.0\\.0\\.1:${inst.port}"\\} \\d+$`, 'm'));
  assert.match(text.stdout, /^# TYPE tripod_restarts_total counter$/m);

  const port = await freePort();
  const exporter = tripodLive(['metrics', '--listen', `127.0.0.1:${port}`, '--runtime-dir', inst.dir]);
  children.push(exporter.child.pid);
  const scrape = await waitFor('the exporter answering', () => get(port, '/metrics').catch(() => null), 10_000, 100);
  assert.equal(scrape.status, 200);
  assert.match(scrape.type, /^text\/plain; version=0\.0\.4/);
  assert.match(scrape.body, /^tripod_up\{tier="server"\} 1$/m);
  assert.equal((await get(port, '/nope')).status, 404);
  exporter.child.kill('SIGTERM');
  assert.equal((await exporter.done).code, 0);
});

test('doctor names the process holding a configured port, passes the instance\'s own port, exits 1', async () => {
  const holder = createServer();
  servers.push(holder);
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const held = (holder.address() as { port: number }).port;
  const result = await tripod(['doctor', '--runtime-dir', inst.dir, '--listen', `127.0.0.1:${held}`, '--listen', `127.0.0.1:${inst.port}`]);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stdout, new RegExp(`^FAIL  port 127\\.0\\.0\\.1:${held}: in use by PID ${process.pid} \\(`, 'm'));
  assert.match(result.stdout, new RegExp(`fix: stop PID ${process.pid}, or listen elsewhere`));
  assert.match(result.stdout, new RegExp(`^ok {4}port 127\\.0\\.0\\.1:${inst.port}: held by this instance`, 'm'));
  assert.match(result.stdout, /^ok {4}fcntl locks \(fs-ext\): a test lock was taken, seen in \/proc\/locks, and released$/m);
  const clean = await tripod(['doctor', '--runtime-dir', inst.dir]);
  assert.equal(clean.code, 0, clean.stdout);
});
