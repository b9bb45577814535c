// Requests the server gets: no request can crash or wedge it. Bad paths against the built-in
// application's static files, and an application that throws, rejects and emits errors: the same
// server PID answers throughout, and the application's errors are logged.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { waitFor } from '@tripod/core';
import { httpGet } from '../../helpers/http.js';
import { FIXTURES, startInstance, tempDir, type Instance, cleanupAll } from '../../helpers/instance.js';

const started: Instance[] = [];
after(() => cleanupAll(started));

test('static files: a directory where a file is expected, a FIFO, links out of the root, bad escapes: 404s from the same server', async () => {
  const site = tempDir('tripod-site-');
  mkdirSync(join(site, 'www', 'sub', 'index.html'), { recursive: true });
  writeFileSync(join(site, 'www', 'hello.txt'), 'hello\n');
  writeFileSync(join(site, 'secret.txt'), 'secret\n');
  symlinkSync(join(site, 'secret.txt'), join(site, 'www', 'out.txt'));
  symlinkSync(site, join(site, 'www', 'up'));
  execFileSync('mkfifo', [join(site, 'www', 'fifo.txt')]);
  const inst = await startInstance({ args: ['--static-dir', join(site, 'www')] });
  started.push(inst);
  const server = inst.holder('server');
  for (const path of ['/sub/', '/sub/index.html', '/fifo.txt', '/out.txt', '/up/secret.txt', '/%2e%2e/secret.txt', '/%E0%A4%A', '/hello.txt/x']) {
    const r = await httpGet(inst.port, path);
    assert.equal(r.status, 404, `${path}: ${r.status}`);
    assert.doesNotMatch(r.body, /secret/);
  }
  assert.equal((await httpGet(inst.port, '/hello.txt')).body, 'hello\n');
  const home = await httpGet(inst.port, '/');
  assert.doesNotMatch(home.body, new RegExp(`\\b${server}\\b`), 'the page names no PID');
  assert.equal(inst.holder('server'), server, 'the same server served every request');
});

test('application errors thrown, rejected, emitted or thrown from a timer answer 500 or nothing worse, are logged, and never take the server down', async () => {
  const inst = await startInstance({ args: ['--app', join(FIXTURES, 'app-errors.mjs')] });
  started.push(inst);
  const server = inst.holder('server');
  for (const path of ['/throw', '/reject', '/emit', '/emit-request']) assert.equal((await httpGet(inst.port, path)).status, 500, path);
  assert.equal((await httpGet(inst.port, '/timer')).status, 200);
  await waitFor('the timer error logged', () => /app\.uncaught/.test(inst.output()));
  assert.equal((await httpGet(inst.port, '/fine')).status, 200);
  assert.equal(inst.holder('server'), server, 'the same server answers');
  for (const what of ['thrown', 'rejected', 'emitted', 'emitted on the request']) assert.match(inst.output(), new RegExp(`app\\.error .*fixture: ${what}`));
});
