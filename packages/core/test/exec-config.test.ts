import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromArgv } from '../src/config/cli.js';
import { validateConfig } from '../src/config/validate.js';
import { isTripodError } from '../src/errors.js';
import { parseExecArgv, parseReadyMode, parseStopSignal } from '../src/exec/exec-config.js';

function assertInvalid(raw: Record<string, unknown>, field: string): void {
  assert.throws(() => validateConfig(raw, '/srv'), (err) => isTripodError(err, 'ERR_CONFIG_INVALID') && err.message.includes(`invalid ${field}`));
}

test('ready modes: notify (default), tcp, http:/path; anything else is refused', () => {
  assert.deepEqual(parseReadyMode(undefined), { kind: 'notify' });
  assert.deepEqual(parseReadyMode('tcp'), { kind: 'tcp' });
  assert.deepEqual(parseReadyMode('http:/healthz?x=1'), { kind: 'http', path: '/healthz?x=1' });
  assert.deepEqual(parseReadyMode({ kind: 'http', path: '/up' }), { kind: 'http', path: '/up' }, 'the validated form reads back');
  for (const bad of ['http:', 'http:healthz', 'udp', 'http:/a b', 5]) assert.throws(() => parseReadyMode(bad), /notify, tcp or http/);
});

test('stop signals are validated names; SIGKILL and SIGSTOP cannot drain', () => {
  assert.equal(parseStopSignal(undefined), 'SIGTERM');
  assert.equal(parseStopSignal('quit'), 'SIGQUIT');
  assert.equal(parseStopSignal('SIGINT'), 'SIGINT');
  assert.throws(() => parseStopSignal('SIGNOPE'), /signal name/);
  assert.throws(() => parseStopSignal('SIGKILL'), /cannot be caught/);
  assert.throws(() => parseStopSignal('stop'), /cannot be caught/);
});

test('exec argv: an array or its JSON text, no empty program, no shell string', () => {
  assert.deepEqual(parseExecArgv(['gunicorn', 'app:app']), ['gunicorn', 'app:app']);
  assert.deepEqual(parseExecArgv('["lighttpd","-D"]'), ['lighttpd', '-D']);
  assert.equal(parseExecArgv([]), null);
  assert.equal(parseExecArgv(undefined), null);
  assert.throws(() => parseExecArgv('gunicorn app:app'), /JSON array/);
  assert.throws(() => parseExecArgv([''] as unknown), /must not be empty/);
  assert.throws(() => parseExecArgv(['a', 3] as unknown), /string/);
});

test('exec excludes --app and --static-dir, and names the field', () => {
  assertInvalid({ exec: ['x'], app: 'app.mjs' }, 'app');
  assertInvalid({ exec: ['x'], staticDir: 'www' }, 'staticDir');
  assertInvalid({ exec: ['x'], stopSignal: 'SIGKILL' }, 'stopSignal');
  assertInvalid({ exec: ['x'], execWatchdogMs: 50 }, 'execWatchdogMs');
  const config = validateConfig({ exec: ['x'], ready: 'http:/up', execWatchdogMs: 2000 }, '/srv');
  assert.deepEqual(config.exec, ['x']);
  assert.equal(config.execCwd, '/srv');
  assert.deepEqual(config.ready, { kind: 'http', path: '/up' });
});

test('everything after -- on the command line is the argv; TRIPOD_EXEC is a JSON array', () => {
  const fromDashes = configFromArgv({ '--': ['gunicorn', '--workers', '2', 'app:app'] }, '/srv', {});
  assert.deepEqual(fromDashes.exec, ['gunicorn', '--workers', '2', 'app:app']);
  const fromEnv = configFromArgv({}, '/srv', { TRIPOD_EXEC: '["lighttpd","-D","-f","x.conf"]', TRIPOD_STOP_SIGNAL: 'SIGINT' });
  assert.deepEqual(fromEnv.exec, ['lighttpd', '-D', '-f', 'x.conf']);
  assert.equal(fromEnv.stopSignal, 'SIGINT');
  assert.equal(configFromArgv({}, '/srv', {}).exec, null);
});

test("withoutKept folds a keeper's program and its children into the keeper's server", async () => {
  const { withoutKept } = await import('../src/proc/scan.js');
  const p = (pid: number, pgrp: number, tier: 'server' | 'manager' = 'server') => ({ pid, pgrp, tier, starttime: 1, state: 'S', ppid: 1 });
  const procs = [p(10, 10), p(11, 10), p(12, 10), p(20, 20), p(30, 5), p(40, 40, 'manager'), p(41, 40)];
  assert.deepEqual(withoutKept(procs).map((x) => x.pid), [10, 20, 30, 40, 41], 'a server in a non-server group (30) and a manager group are not folded');
});

test('the keeper contract: answers and requests parse back; a wrong version or field is named', async () => {
  const { formatKeeperLine, parseKeeperAnswer, parseKeeperRequest } = await import('../src/wire/keeper.js');
  const answer = { version: 1 as const, pid: 10, programPid: 11, ok: false, error: 'not accepted within 900 ms', via: 'probe' as const, progressAt: null };
  assert.deepEqual(parseKeeperAnswer(formatKeeperLine(answer).trim()), { ok: true, value: answer });
  assert.deepEqual(parseKeeperRequest(formatKeeperLine({ version: 1, timeoutMs: 900 })), { ok: true, value: { version: 1, timeoutMs: 900 } });
  const old = parseKeeperAnswer(JSON.stringify({ ...answer, version: 0 }));
  assert.ok(!old.ok && old.error.code === 'ERR_WIRE_VERSION');
  const bad = parseKeeperAnswer(JSON.stringify({ ...answer, via: 'guess' }));
  assert.ok(!bad.ok && bad.error.code === 'ERR_WIRE_INVALID' && /via/.test(bad.error.message));
  const junk = parseKeeperAnswer('tripod-server pid=1');
  assert.ok(!junk.ok && junk.error.code === 'ERR_WIRE_INVALID');
});
