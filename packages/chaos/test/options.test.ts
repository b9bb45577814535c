import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTripodError } from '@tripod/core';
import { isLoopback, validateOptions } from '../src/cli/options.js';

const rejects = (raw: Record<string, unknown>, pattern: RegExp) =>
  assert.throws(() => validateOptions(raw, 1, '/work'), (err: unknown) => isTripodError(err, 'ERR_CONFIG_INVALID') && pattern.test(err.message));

test('defaults: every tier and kind except the planned stop, a random seed when none is given', () => {
  const o = validateOptions({}, 77, '/work');
  assert.equal(o.seed, 77);
  assert.equal(o.durationMs, 30_000);
  assert.equal(o.outDir, '/work/reports/chaos');
  assert.equal(o.restartMs, 1000);
  assert.equal(o.combos.length, 20);
  assert.ok(!o.combos.some((c) => c.tier === 'cop' && c.kind === 'SIGTERM'));
  assert.ok(Object.isFrozen(o));
});

test('lists take commas and repetition; kinds may omit SIG and any case', () => {
  const o = validateOptions({ tiers: ['manager+server', 'server,cop'], faults: 'kill,sigstop', 'cop-arg': ['--unsafe-drop-sockets', '--check-interval-ms=250'], seed: 42 }, 1, '/work');
  assert.deepEqual(o.tiers, ['manager+server', 'server', 'cop']);
  assert.deepEqual(o.kinds, ['SIGKILL', 'SIGSTOP']);
  assert.deepEqual(o.copArgs, ['--unsafe-drop-sockets', '--check-interval-ms=250']);
  assert.equal(o.seed, 42);
  assert.deepEqual(validateOptions({ 'cop-arg': '--a=1,2' }, 1).copArgs, ['--a=1,2']);
  assert.equal(validateOptions({ app: 'app.js', 'runtime-dir': 'rt' }, 1, '/work').app, '/work/app.js');
});

test('bad values name the flag, the value and the rule', () => {
  rejects({ host: '10.0.0.1' }, /invalid --host: "10\.0\.0\.1" \(must be a loopback address/);
  rejects({ host: 'example.com' }, /--host/);
  rejects({ tiers: 'proxy' }, /invalid --tiers: "proxy" \(must be one of cop, manager, server, manager\+server\)/);
  rejects({ faults: 'SIGHUP' }, /invalid --faults: "SIGHUP"/);
  rejects({ tiers: 'server', faults: 'SIGUSR1' }, /no fault left for tiers server/);
  rejects({ tiers: 'cop', faults: 'SIGTERM' }, /needs --planned-stops/);
  rejects({ seed: -1 }, /invalid --seed: -1/);
  rejects({ seed: 1.5 }, /invalid --seed/);
  rejects({ duration: 0 }, /invalid --duration: 0 \(must be a number from 1 to 86400\)/);
  rejects({ concurrency: 2.5 }, /invalid --concurrency/);
  rejects({ 'keepalive-share': 2 }, /invalid --keepalive-share/);
  rejects({ 'hold-min-ms': 3000, 'hold-max-ms': 1000 }, /invalid --hold-max-ms: 1000 \(must be at least --hold-min-ms \(3000\)\)/);
  rejects({ port: 70000 }, /invalid --port/);
  rejects({ path: 'x' }, /invalid --path/);
  assert.doesNotThrow(() => validateOptions({ tiers: 'cop', faults: 'SIGTERM', 'planned-stops': true }, 1));
  assert.doesNotThrow(() => validateOptions({ tiers: 'server', faults: 'SIGUSR1', rate: 0 }, 1));
});

test('loopback means 127.0.0.0/8 and ::1 only', () => {
  assert.equal(isLoopback('127.0.0.1'), true);
  assert.equal(isLoopback('127.5.6.7'), true);
  assert.equal(isLoopback('::1'), true);
  assert.equal(isLoopback('0.0.0.0'), false);
  assert.equal(isLoopback('::'), false);
  assert.equal(isLoopback('localhost'), false);
});

test('everything after -- is the program of an exec-mode campaign; it excludes --app', () => {
  const o = validateOptions({ '--': ['gunicorn', 'app:app'] }, 1, '/work');
  assert.deepEqual(o.exec, ['gunicorn', 'app:app']);
  assert.equal(o.execCwd, '/work');
  assert.equal(validateOptions({}, 1, '/work').exec, null);
  assert.throws(() => validateOptions({ '--': ['x'], app: 'a.mjs' }, 1, '/work'), /exec mode/);
});
