// Hostile neighbours and tripod's files: everything it creates is owner-only, another user can neither
// open a lock file (so cannot hold even a read lock) nor connect to the control socket, and no file is
// written through a link someone planted.
import assert from 'node:assert/strict';
import { chmodSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readProcLocks, readStat, waitFor } from '@tripod/core';
import { startInstance, tempDir, type Instance, cleanupAll } from '../../helpers/instance.js';
import { NEEDS_ROOT, NOBODY, filesWithModes, nodeAsNobody } from './nobody.js';

const started: Instance[] = [];
after(() => cleanupAll(started));

test('every file tripod creates is owner-only, and another user can neither open a lock nor connect to the control socket', { skip: NEEDS_ROOT }, async () => {
  const inst = await startInstance();
  started.push(inst);
  await waitFor('status.json and cop-status.json', () => filesWithModes(inst.dir).filter((f) => /status\.json$/.test(f.path)).length === 2);
  const files = filesWithModes(inst.dir).filter((f) => f.kind !== 'dir');
  for (const name of ['cop.lock', 'manager.lock', 'server.lock', 'manager.sock', 'status.json', 'cop-status.json', 'logs/cop.log']) {
    assert.ok(files.some((f) => f.path === join(inst.dir, name)), `${name} exists`);
  }
  for (const f of files) assert.equal(f.mode & 0o077, 0, `${f.path} is mode ${f.mode.toString(8)}`);

  // Even with the directory opened up to traversal, the files themselves keep another user out.
  chmodSync(inst.dir, 0o755);
  const attempt = nodeAsNobody(`
    const fs = require('fs'), net = require('net');
    const out = {};
    for (const f of ['cop.lock', 'manager.lock', 'server.lock']) {
      try { fs.openSync(process.argv[1] + '/' + f, 'r'); out[f] = 'opened'; } catch (e) { out[f] = e.code; }
    }
    const s = net.createConnection(process.argv[1] + '/manager.sock');
    s.on('connect', () => { out.sock = 'connected'; console.log(JSON.stringify(out)); process.exit(0); });
    s.on('error', (e) => { out.sock = e.code; console.log(JSON.stringify(out)); process.exit(0); });
  `, [inst.dir]);
  assert.equal(attempt.status, 0, attempt.stderr);
  assert.deepEqual(JSON.parse(attempt.stdout), { 'cop.lock': 'EACCES', 'manager.lock': 'EACCES', 'server.lock': 'EACCES', sock: 'EACCES' });
  // /proc/locks: every lock on the runtime directory's files is held by a tier running as us.
  const lockPids = new Set((readProcLocks() ?? []).map((e) => e.pid));
  for (const tier of ['cop', 'manager', 'server'] as const) assert.ok(lockPids.has(inst.holder(tier)!), `${tier} holds its lock`);
  assert.equal(readStat(inst.holder('cop')!) !== null, true);
  chmodSync(inst.dir, 0o700);
  assert.equal(NOBODY, 65534);
});

test('no file is written through a link tripod did not create (status files, logs; symbolic and hard links)', async () => {
  const dir = tempDir();
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious\n');
  mkdirSync(join(dir, 'logs'), { mode: 0o700 });
  symlinkSync(victim, join(dir, 'status.json'));
  symlinkSync(victim, join(dir, 'cop-status.json'));
  symlinkSync(victim, join(dir, 'logs', 'cop.log'));
  linkSync(victim, join(dir, 'logs', 'manager.log'));
  const inst = await startInstance({ dir });
  started.push(inst);
  await waitFor('both status files rewritten as files of their own', () => {
    const names = filesWithModes(dir).filter((f) => f.kind === 'file').map((f) => f.path);
    return names.includes(join(dir, 'status.json')) && names.includes(join(dir, 'cop-status.json'));
  });
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n', 'the link target was never written');
  // The tiers whose log file is a planted link said so once and log to stderr instead; they serve on.
  assert.match(inst.output(), /cannot write log file .*cop\.log \(ELOOP\); logging to stderr until the next SIGHUP/);
  // The manager opens its log once its server is on its way: after status.json, possibly.
  await waitFor('the manager saying its log file is not its own', () => /cannot write log file .*manager\.log \(ERR_FILE_NOT_OURS\)/.test(inst.output()), 5000);
  assert.equal(inst.output().match(/cannot write log file .*cop\.log/g)?.length, 1);
});
