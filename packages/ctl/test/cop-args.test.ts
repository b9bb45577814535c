import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ctlContext } from '../src/context.js';
import { copArguments } from '../src/start/cop-args.js';

test('paths become absolute, other flags pass through as typed, arrays repeat', () => {
  const ctl = ctlContext({ 'runtime-dir': 'rt', app: 'app.mjs', listen: ['127.0.0.1:1', 2], 'check-interval-ms': 250 }, {}, '/home/op');
  assert.deepEqual(copArguments(ctl), [
    '--runtime-dir', '/home/op/rt', '--app', '/home/op/app.mjs', '--listen', '127.0.0.1:1', '--listen', '2', '--check-interval-ms', '250',
  ]);
});

test('a config file from TRIPOD_CONFIG is passed by absolute path; values only in the file are not frozen into flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-ctl-'));
  try {
    writeFileSync(join(dir, 'tripod.json'), JSON.stringify({ runtimeDir: 'state', logDir: 'logs-elsewhere', app: 'app.mjs', staticDir: 'www', listen: ['127.0.0.1:9'] }));
    const ctl = ctlContext({}, { TRIPOD_CONFIG: 'tripod.json' }, dir);
    assert.equal(ctl.config.app, join(dir, 'app.mjs'), 'a relative path in the file is relative to the file');
    assert.deepEqual(copArguments(ctl, {}), ['--runtime-dir', join(dir, 'state'), '--config', join(dir, 'tripod.json')]);
    const flagged = ctlContext({ 'log-dir': 'here' }, { TRIPOD_CONFIG: 'tripod.json' }, dir);
    assert.deepEqual(copArguments(flagged, {}), ['--runtime-dir', join(dir, 'state'), '--config', join(dir, 'tripod.json'), '--log-dir', join(dir, 'here')]);
    assert.equal(ctl.listenExplicit, true, 'listen came from the file');
    assert.equal(ctlContext({}, {}, dir).listenExplicit, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad value is refused with its field, value and rule', () => {
  assert.throws(() => ctlContext({ 'check-interval-ms': -5 }, {}, '/'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'ERR_CONFIG_INVALID');
    assert.match(err.message, /checkIntervalMs: -5 \(must be a whole number from 50/);
    return true;
  });
});

test('exec mode: the argv after -- goes to the cop as one JSON flag, with where it runs; from a file only where it runs', () => {
  const ctl = ctlContext({ '--': ['gunicorn', '--workers', '2', 'app:app'] }, {}, '/srv/site');
  assert.deepEqual(copArguments(ctl, {}), ['--runtime-dir', '/srv/site/.tripod', '--exec', '["gunicorn","--workers","2","app:app"]', '--exec-cwd', '/srv/site']);
  const dir = mkdtempSync(join(tmpdir(), 'tripod-ctl-'));
  try {
    writeFileSync(join(dir, 'tripod.json'), JSON.stringify({ exec: ['gunicorn', 'app:app'] }));
    const fromFile = ctlContext({ config: 'tripod.json' }, {}, dir);
    const args = copArguments(fromFile, {});
    assert.ok(!args.includes('--exec'), `the file keeps the argv: ${args.join(' ')}`);
    assert.equal(args[args.indexOf('--exec-cwd') + 1], fromFile.config.execCwd);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
