import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { listeningInodes, procPortHolders, socketInode } from '../src/proc/port-holders.js';

test('fd links name socket inodes; other links do not', () => {
  assert.equal(socketInode('socket:[48213]'), 48213);
  assert.equal(socketInode('pipe:[48213]'), null);
  assert.equal(socketInode('/dev/null'), null);
});

test('only the LISTEN rows of the port count', () => {
  const rows = [
    { address: '127.0.0.1', port: 8080, queued: 0, inode: 11 },
    { address: '::', port: 8080, queued: 0, inode: 12 },
    { address: '127.0.0.1', port: 9090, queued: 0, inode: 13 },
    { address: '127.0.0.1', port: 8080, queued: 0, inode: 0 },
  ];
  assert.deepEqual([...listeningInodes(rows, 8080)], [11, 12]);
});

test('a process listening on a port is named from /proc, with its command line', async (t) => {
  const script = "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port)); setInterval(() => {}, 1000);";
  const child = spawn(process.execPath, ['-e', script, 'port-holder-marker'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const [data] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(data.toString().trim());
  const holders = procPortHolders(port);
  assert.deepEqual(holders.map((h) => h.pid), [child.pid]);
  assert.equal(holders[0]!.name, 'node');
  assert.match(holders[0]!.cmd, /port-holder-marker/);
  child.kill('SIGKILL');
  await once(child, 'exit');
  assert.deepEqual(procPortHolders(port), []);
});
