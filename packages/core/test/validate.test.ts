import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseListen, validateConfig } from '../src/config/validate.js';
import { isTripodError, type TripodError } from '../src/errors.js';
import { DEFAULT_RESTART_POLICY } from '../src/policy/restart-policy.js';

const CWD = '/srv/site';

function invalidError(fn: () => unknown): TripodError {
  try {
    fn();
  } catch (err) {
    assert.ok(isTripodError(err, 'ERR_CONFIG_INVALID'), `wrong error: ${String(err)}`);
    return err;
  }
  assert.fail('expected ERR_CONFIG_INVALID');
}

/** Asserts the error names the field, shows the bad value and states a rule. */
function assertInvalid(raw: Record<string, unknown>, field: string, value: unknown, rule: RegExp): void {
  const err = invalidError(() => validateConfig(raw, CWD));
  assert.equal(err.details.field, field);
  assert.deepEqual(err.details.value, value);
  assert.match(String(err.details.rule), rule);
  assert.ok(err.message.includes(field), `message names the field: ${err.message}`);
  assert.ok(err.message.includes(JSON.stringify(value)), `message shows the value: ${err.message}`);
  assert.ok(err.message.includes(String(err.details.rule)), `message states the rule: ${err.message}`);
}

test('defaults', () => {
  const config = validateConfig({}, CWD);
  assert.equal(config.runtimeDir, '/srv/site/.tripod');
  assert.equal(config.logDir, '/srv/site/.tripod/logs');
  assert.equal(config.logLevel, 'info');
  assert.deepEqual(config.listen, [{ host: '127.0.0.1', port: 8080 }]);
  assert.equal(config.app, null);
  assert.equal(config.staticDir, null);
  assert.equal(config.backlog, 511);
  assert.equal(config.checkIntervalMs, 1000);
  assert.equal(config.probeFailures, 2);
  assert.equal(config.coreSignal, null);
  assert.deepEqual(config.restart, DEFAULT_RESTART_POLICY);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.listen) && Object.isFrozen(config.listen[0]) && Object.isFrozen(config.restart));
});

test('liveness: hangAfterMs defaults to 2000; kill-on-slow and stall-kill are off unless a duration is given', () => {
  const config = validateConfig({}, CWD);
  assert.equal(config.hangAfterMs, 2000);
  assert.equal(config.killOnSlowMs, null);
  assert.equal(config.stallKillMs, null);
  for (const off of [0, '0', 'off', '']) assert.equal(validateConfig({ killOnSlowMs: off, stallKillMs: off }, CWD).killOnSlowMs, null);
  const on = validateConfig({ hangAfterMs: '5000', killOnSlowMs: '3000', stallKillMs: 60_000 }, CWD);
  assert.deepEqual([on.hangAfterMs, on.killOnSlowMs, on.stallKillMs], [5000, 3000, 60_000]);
  assertInvalid({ hangAfterMs: 50 }, 'hangAfterMs', 50, /whole number from 100/);
  assertInvalid({ killOnSlowMs: 'soon' }, 'killOnSlowMs', 'soon', /whole number/);
  assertInvalid({ stallKillMs: -1 }, 'stallKillMs', -1, /whole number from 100/);
});

test('paths resolve against cwd; strings from flags or environment become numbers', () => {
  const config = validateConfig({ runtimeDir: 'run', logDir: '/var/log/t', app: 'app.mjs', staticDir: 'public', backlog: '1024', logLevel: 'debug', coreSignal: 'sigabrt' }, CWD);
  assert.equal(config.runtimeDir, '/srv/site/run');
  assert.equal(config.logDir, '/var/log/t');
  assert.equal(config.app, '/srv/site/app.mjs');
  assert.equal(config.staticDir, '/srv/site/public');
  assert.equal(config.backlog, 1024);
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.coreSignal, 'SIGABRT');
  assert.equal(validateConfig({ coreSignal: 'none' }, CWD).coreSignal, null);
});

test('restart policy values pass through', () => {
  const config = validateConfig({ restart: { baseDelayMs: 50, maxDelayMs: 5000, jitter: 0, healthyAfterMs: 1000, noRestartCode: 33 } }, CWD);
  assert.deepEqual(config.restart, { baseDelayMs: 50, maxDelayMs: 5000, jitter: 0, healthyAfterMs: 1000, noRestartCode: 33 });
});

test('whole-number fields reject fractions, out-of-range values, junk strings and booleans', () => {
  assertInvalid({ backlog: 0 }, 'backlog', 0, /from 1 to 65535/);
  assertInvalid({ backlog: 65_536 }, 'backlog', 65_536, /from 1 to 65535/);
  assertInvalid({ backlog: '12x' }, 'backlog', '12x', /whole number/);
  assertInvalid({ checkIntervalMs: 1.5 }, 'checkIntervalMs', 1.5, /whole number/);
  assertInvalid({ probeFailures: true }, 'probeFailures', true, /whole number/);
  assertInvalid({ killGraceMs: ' ' }, 'killGraceMs', ' ', /whole number/);
});

test('runtimeDir, logLevel, app and coreSignal are checked', () => {
  assertInvalid({ runtimeDir: '' }, 'runtimeDir', '', /directory path/);
  assertInvalid({ runtimeDir: 42 }, 'runtimeDir', 42, /directory path/);
  assertInvalid({ logLevel: 'verbose' }, 'logLevel', 'verbose', /error, warn, info, debug/);
  assertInvalid({ app: 42 }, 'app', 42, /path/);
  assertInvalid({ coreSignal: 'SIGKILL' }, 'coreSignal', 'SIGKILL', /SIGABRT/);
});

test('restart.jitter must be from 0 to 1', () => {
  assertInvalid({ restart: { jitter: 1.5 } }, 'restart.jitter', 1.5, /from 0 to 1/);
  assertInvalid({ restart: { jitter: -0.1 } }, 'restart.jitter', -0.1, /from 0 to 1/);
});

test('restart.jitter NaN is refused', () => {
  invalidError(() => validateConfig({ restart: { jitter: Number.NaN } }, CWD));
});

test('restart.* errors name the nested field', () => {
  assertInvalid({ restart: { baseDelayMs: -1 } }, 'restart.baseDelayMs', -1, /whole number/);
});

test('probeTimeoutMs may be at most 10 × checkIntervalMs', () => {
  assert.equal(validateConfig({ checkIntervalMs: 100, probeTimeoutMs: 1000 }, CWD).probeTimeoutMs, 1000);
  assertInvalid({ checkIntervalMs: 100, probeTimeoutMs: 1001 }, 'probeTimeoutMs', 1001, /10 × checkIntervalMs \(1000\)/);
});

test('parseListen: HOST:PORT and [IPV6]:PORT', () => {
  assert.deepEqual(parseListen('127.0.0.1:80'), { host: '127.0.0.1', port: 80 });
  assert.deepEqual(parseListen(' 0.0.0.0:65535 '), { host: '0.0.0.0', port: 65535 });
  assert.deepEqual(parseListen('localhost:1'), { host: 'localhost', port: 1 });
  assert.deepEqual(parseListen('[::1]:8080'), { host: '::1', port: 8080 });
  assert.deepEqual(parseListen('[::]:443'), { host: '::', port: 443 });
});

test('parseListen: a bare PORT listens on loopback', () => {
  assert.deepEqual(parseListen('8080'), { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(parseListen('12345'), { host: '127.0.0.1', port: 12345 });
});

test('parseListen: bad ports and shapes are refused, naming the field', () => {
  for (const [text, rule] of [
    ['127.0.0.1:0', /1 to 65535/],
    ['127.0.0.1:65536', /1 to 65535/],
    ['127.0.0.1:http', /HOST:PORT/],
    ['::1:80', /HOST:PORT/],
    ['', /HOST:PORT/],
  ] as const) {
    const err = invalidError(() => parseListen(text, 'listen[0]'));
    assert.equal(err.details.field, 'listen[0]', text);
    assert.equal(err.details.value, text);
    assert.match(String(err.details.rule), rule, text);
  }
});

test('listen accepts one string, a list, and {host, port} objects', () => {
  assert.deepEqual(validateConfig({ listen: '0.0.0.0:80' }, CWD).listen, [{ host: '0.0.0.0', port: 80 }]);
  assert.deepEqual(validateConfig({ listen: ['127.0.0.1:80', '[::1]:80'] }, CWD).listen, [
    { host: '127.0.0.1', port: 80 },
    { host: '::1', port: 80 },
  ]);
  assert.deepEqual(validateConfig({ listen: [{ host: '0.0.0.0', port: 81 }, { port: 82 }] }, CWD).listen, [
    { host: '0.0.0.0', port: 81 },
    { host: '127.0.0.1', port: 82 },
  ]);
  assert.deepEqual(validateConfig({ listen: [] }, CWD).listen, [{ host: '127.0.0.1', port: 8080 }]);
});

test('listen: a {host, port} object with an IPv6 host', () => {
  assert.deepEqual(validateConfig({ listen: [{ host: '::1', port: 8080 }] }, CWD).listen, [{ host: '::1', port: 8080 }]);
});

test('listen: a duplicate address is refused', () => {
  assertInvalid({ listen: ['127.0.0.1:80', '127.0.0.1:80'] }, 'listen', '127.0.0.1:80', /listed once/);
  assertInvalid({ listen: ['127.0.0.1:80', { host: '127.0.0.1', port: 80 }] }, 'listen', '127.0.0.1:80', /listed once/);
});

test('listen: a bad entry is refused with the entry in the error', () => {
  assertInvalid({ listen: ['127.0.0.1:80', '127.0.0.1:99999'] }, 'listen', '127.0.0.1:99999', /1 to 65535/);
  assertInvalid({ listen: [true] }, 'listen', true, /HOST:PORT/);
});
