// Logs that fail: the log directory removed and replaced by a file, then a SIGHUP (logrotate): no tier
// crashes or restarts, each says once that it logs to stderr, and the SIGHUP after the directory is
// back writes the files again.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { TIERS, waitFor } from '@tripod/core';
import { httpGet } from '../../helpers/http.js';
import { startInstance, type Instance, cleanupAll } from '../../helpers/instance.js';

const started: Instance[] = [];
after(() => cleanupAll(started));

test('the log directory replaced by a file: every tier falls back to stderr once, serves on, and writes its file again after the next SIGHUP', async () => {
  const inst = await startInstance();
  started.push(inst);
  const pids = Object.fromEntries(TIERS.map((t) => [t, inst.holder(t)]));
  const logs = inst.paths.logDir;
  rmSync(logs, { recursive: true, force: true });
  writeFileSync(logs, 'not a directory\n');
  inst.cop.kill('SIGHUP');
  await waitFor('each tier saying it logs to stderr', () =>
    TIERS.every((t) => new RegExp(`cannot write log file .*${t}\\.log \\((ENOTDIR|EEXIST)\\); logging to stderr`).test(inst.output())));
  assert.equal((await httpGet(inst.port, '/')).status, 200);
  inst.cop.kill('SIGHUP'); // a second failed reopen says so again, once
  await waitFor('the second notice', () => (inst.output().match(/cannot write log file .*cop\.log/g)?.length ?? 0) >= 2);
  for (const tier of TIERS) assert.equal(inst.holder(tier), pids[tier], `${tier} was not restarted`);

  rmSync(logs);
  inst.cop.kill('SIGHUP');
  await waitFor('every tier writing its log file again', () => TIERS.every((t) => existsSync(inst.paths.logFile(t)) && new RegExp(`writing .*${t}\\.log again`).test(inst.output())));
  await waitFor('a new entry in cop.log', () => readFileSync(inst.paths.logFile('cop'), 'utf8').length > 0);
  for (const tier of TIERS) assert.equal(inst.holder(tier), pids[tier], `${tier} was not restarted`);
  assert.equal((await httpGet(inst.port, '/')).status, 200);
});
