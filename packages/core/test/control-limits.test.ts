// One client cannot starve the others: connections, request lines and unread replies are bounded, and
// a newcomer always gets in (the least recently active connection makes room).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { controlRequest } from '../src/control/client.js';
import { MAX_CONNECTIONS, MAX_LINE, pickVictim, serveControl } from '../src/control/server.js';

let dir: string;
let path: string;
let server: Server;
let handled = 0;
const sockets: Socket[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-ctl-limits-'));
  path = join(dir, 'manager.sock');
  server = await serveControl(path, (request) => {
    handled++;
    return request.cmd === 'status' ? { big: 'x'.repeat(10_000) } : { pong: true };
  });
});
after(() => {
  for (const s of sockets) s.destroy();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection(path, () => resolve(s));
    s.on('error', () => undefined);
    s.once('error', reject);
    sockets.push(s);
  });
}

const closed = (s: Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

test('a flood of idle connections never keeps a ping out', async () => {
  const idle = await Promise.all(Array.from({ length: MAX_CONNECTIONS * 3 }, () => connect()));
  for (let i = 0; i < 5; i++) assert.deepEqual(await controlRequest(path, { cmd: 'ping' }, 2000), { pong: true });
  const open = idle.filter((s) => !s.destroyed && s.readyState === 'open').length;
  assert.ok(open <= MAX_CONNECTIONS, `${open} idle connections still open`);
});

test('a client that pipelines requests and never reads is cut off; others are answered meanwhile', async () => {
  const flooder = await connect();
  const line = JSON.stringify({ cmd: 'status' }) + '\n';
  const before = handled;
  flooder.pause(); // never reads a reply
  for (let i = 0; i < 2000 && !flooder.destroyed; i++) flooder.write(line);
  const ping = controlRequest(path, { cmd: 'ping' }, 2000);
  assert.deepEqual(await ping, { pong: true });
  // The server stops answering once the unread replies pile up (it then closes the connection).
  for (let last = -1, deadline = Date.now() + 5000; handled !== last; ) {
    last = handled;
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(Date.now() < deadline, 'the server kept answering a client that reads nothing');
  }
  let replies = 0;
  flooder.on('data', (d: Buffer) => (replies += d.toString().split('\n').length - 1));
  flooder.resume(); // only now does it read, and find its connection closed after what was sent
  await closed(flooder);
  assert.ok(replies < 2000, `${replies} replies, handled ${handled - before}`);
  assert.ok(handled - before < 2000, `answered ${handled - before} requests nobody read`);
});

test('a request line longer than the limit closes the connection', async () => {
  const s = await connect();
  s.write('{"cmd":"ping","pad":"' + 'x'.repeat(MAX_LINE + 10));
  await closed(s);
  assert.deepEqual(await controlRequest(path, { cmd: 'ping' }, 2000), { pong: true });
});

test('room is made by closing the oldest silent connection, else the least recently active', () => {
  const c = (opened: number, lastActive: number | null) => ({ opened, lastActive });
  const silentOld = c(1, null);
  assert.equal(pickVictim([c(0, 5), silentOld, c(2, null), c(3, 9)]), silentOld);
  const idle = c(0, 5);
  assert.equal(pickVictim([c(1, 7), idle, c(3, 9)]), idle);
  assert.equal(pickVictim([]), null);
});
