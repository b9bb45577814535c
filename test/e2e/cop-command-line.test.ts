// tripod-cop's command line through its binary: a plain line is read without yargs (args.ts), every
// other line still gets yargs' usage, messages and exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, cleanEnv, tempDir } from '../helpers/instance.js';

function runCop(args: string[]) {
  return spawnSync(process.execPath, [BIN.cop, ...args], { env: cleanEnv(), encoding: 'utf8', timeout: 20_000 });
}

test('--help prints yargs\' usage with every option but the hidden ones, exit 0', () => {
  const r = runCop(['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^tripod-cop \[options\]\n/);
  assert.match(r.stdout, /\n  --runtime-dir  /);
  assert.match(r.stdout, /\n  --standby  [^]*?\[boolean\]\n/);
  assert.doesNotMatch(r.stdout, /unsafe-drop-sockets|config-json/);
});

test('an unknown option among plain flags: usage and yargs\' message on stderr, exit 1, nothing started', () => {
  const dir = tempDir();
  const r = runCop(['--runtime-dir', dir, '--listen', '127.0.0.1:1', '--bogus', '3']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^tripod-cop \[options\]\n/);
  assert.match(r.stderr, /\nUnknown argument: bogus\n$/);
  assert.equal(existsSync(join(dir, 'cop.lock')), false, 'no lock taken');
});

test('a word that is no option goes to yargs too, exit 1', () => {
  const r = runCop(['--runtime-dir', tempDir(), 'start']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /Unknown argument: start/);
});
