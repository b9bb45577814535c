// The supervision tiers run with TIER_NODE_FLAGS (lite mode, a small young generation: their memory,
// docs/memory.md) however the cop is launched: the shim's shebang, `npm start`, the cop's spawn of
// the manager. A server keeps V8's defaults (it serves requests).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TIER_NODE_FLAGS } from '@tripod/core';
import { ROOT, cleanEnv, cleanupAll, startInstance, type Instance } from '../helpers/instance.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

/** The arguments node was started with, between the node binary and the script. */
function nodeFlags(pid: number): string[] {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const script = argv.findIndex((a, i) => i > 0 && !a.startsWith('--'));
  return argv.slice(1, script);
}

test('the shim runs the cop with its flags; npm start names the same flags', () => {
  const shim = join(ROOT, 'packages/cop/bin/tripod-cop.js');
  assert.equal(readFileSync(shim, 'utf8').split('\n')[0], `#!/usr/bin/env -S node ${TIER_NODE_FLAGS.cop.join(' ')}`);
  const help = spawnSync(shim, ['--help'], { env: cleanEnv(), encoding: 'utf8', timeout: 15_000 });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /tripod-cop \[options\]/);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const start = pkg.scripts.start ?? '';
  assert.ok(start.startsWith(`node ${TIER_NODE_FLAGS.cop.join(' ')} `), start);
});

test('a running cop and manager carry their flags; the server keeps V8\'s defaults', async () => {
  const inst = await startInstance();
  started.push(inst);
  assert.deepEqual(nodeFlags(inst.cop.pid!), TIER_NODE_FLAGS.cop);
  assert.deepEqual(nodeFlags(inst.holder('manager')!), TIER_NODE_FLAGS.manager);
  assert.deepEqual(nodeFlags(inst.holder('server')!), TIER_NODE_FLAGS.server);
});
