// Running as root, serving as a user: the cop (root) binds a privileged port and supervises; the manager
// and the server run as uid 65534 in a runtime directory that belongs to it. That user cannot signal
// the cop, open its lock, or bind the port itself.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import { waitFor } from '@tripod/core';
import { httpGet } from '../../helpers/http.js';
import { startInstance, type Instance, cleanupAll } from '../../helpers/instance.js';
import { readableCop } from '../../helpers/readable-build.js';
import { NEEDS_ROOT, NOBODY, nodeAsNobody } from './nobody.js';

const started: Instance[] = [];
after(() => cleanupAll(started));

function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'))!;
  return Number(line.split(/\s+/)[2]); // effective uid
}

function gidsOf(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n');
  return `${status.find((l) => l.startsWith('Gid:'))!.split(/\s+/)[2]} groups:${status.find((l) => l.startsWith('Groups:'))!.slice(7).trim()}`;
}

/** A privileged port nobody listens on, found by binding it (as root). */
async function freePrivilegedPort(): Promise<number> {
  for (let port = 1000; port > 600; port--) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free privileged port');
}

test('--user: the root cop binds a privileged port; manager and server run as the user, who can neither signal the cop nor open its lock', { skip: NEEDS_ROOT }, async () => {
  const port = await freePrivilegedPort();
  // The manager and the server run as the user: they must be able to read the build (the checkout may be 0700).
  const inst = await startInstance({ port, copBin: readableCop(), args: ['--user', String(NOBODY), '--group', String(NOBODY)] });
  started.push(inst);
  const [cop, manager, server] = [inst.holder('cop')!, inst.holder('manager')!, inst.holder('server')!];
  assert.equal(uidOf(cop), 0, 'the cop stays root');
  assert.equal(uidOf(manager), NOBODY);
  assert.equal(uidOf(server), NOBODY);
  assert.equal(gidsOf(server), `${NOBODY} groups:`, 'primary group 65534 and no supplementary groups left from root');
  assert.equal((await httpGet(port, '/')).status, 200);
  assert.equal(statSync(inst.dir).uid, NOBODY, 'the runtime directory belongs to the user');
  assert.equal(statSync(inst.paths.lockFile('cop')).uid, 0, 'cop.lock stays root\'s');
  await waitFor('status.json written by the manager', () => statSync(inst.paths.statusFile, { throwIfNoEntry: false })?.uid === NOBODY);

  const attempt = nodeAsNobody(`
    const fs = require('fs'), net = require('net');
    const out = {};
    try { process.kill(Number(process.argv[1]), 'SIGHUP'); out.signal = 'sent'; } catch (e) { out.signal = e.code; }
    try { fs.openSync(process.argv[2], 'r'); out.lock = 'opened'; } catch (e) { out.lock = e.code; }
    const s = net.createServer().once('error', (e) => { out.bind = e.code; console.log(JSON.stringify(out)); process.exit(0); });
    s.listen(Number(process.argv[3]), '127.0.0.1', () => { out.bind = 'bound'; console.log(JSON.stringify(out)); process.exit(0); });
  `, [String(cop), inst.paths.lockFile('cop'), String(port + 1)]);
  assert.deepEqual(JSON.parse(attempt.stdout), { signal: 'EPERM', lock: 'EACCES', bind: 'EACCES' }, attempt.stderr);
  assert.equal(inst.holder('cop'), cop);
  assert.equal(await inst.stop(), 0, 'a graceful stop');
});
