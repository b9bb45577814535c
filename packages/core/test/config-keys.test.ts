import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromArgv, configFromEnv } from '../src/config/cli.js';
import { editDistance, nearestKey } from '../src/config/keys.js';
import { validateConfig } from '../src/config/validate.js';
import { isTripodError, type TripodError } from '../src/errors.js';

function invalid(fn: () => unknown): TripodError {
  try {
    fn();
  } catch (err) {
    assert.ok(isTripodError(err, 'ERR_CONFIG_INVALID'), `not ERR_CONFIG_INVALID: ${String(err)}`);
    return err;
  }
  assert.fail('expected ERR_CONFIG_INVALID');
}

test('an unknown key in a file is an error suggesting the nearest known key', () => {
  const err = invalid(() => validateConfig({ listn: ['127.0.0.1:1'] }, '/'));
  assert.equal(err.details.field, 'listn');
  assert.match(err.message, /unknown key; did you mean listen\?/);
  assert.match(invalid(() => validateConfig({ restart: { maxDelay: 5 } }, '/')).message, /restart\.maxDelay.*did you mean restart\.maxDelayMs\?/);
  assert.match(invalid(() => validateConfig({ zzzzzzzzzzzz: 1 }, '/')).message, /unknown key; known keys: runtimeDir, /);
});

test('an unknown TRIPOD_* variable is an error suggesting the nearest one; tripod\'s own are not', () => {
  const err = invalid(() => configFromEnv({ TRIPOD_LISTN: '1' }));
  assert.match(err.message, /TRIPOD_LISTN.*did you mean TRIPOD_LISTEN\?/);
  assert.deepEqual(configFromEnv({ TRIPOD_INSTANCE: 'x', TRIPOD_TIER: 'cop', TRIPOD_CONFIG: '', TRIPOD_LISTEN: '1,2', PATH: '/bin' }), { listen: ['1', '2'] });
});

test('wrong types name the field and never surface as a TypeError', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ listen: [{ host: 5, port: 80 }] }, 'listen'],
    [{ listen: [{ port: {} }] }, 'listen'],
    [{ logLevel: 3 }, 'logLevel'],
    [{ logLevel: ['info'] }, 'logLevel'],
    [{ restart: 'fast' }, 'restart'],
    [{ restart: [] }, 'restart'],
    [{ restart: { jitter: '0.5' } }, 'restart.jitter'],
    [{ backlog: true }, 'backlog'],
    [{ standby: 'maybe' }, 'standby'],
    [{ app: 7 }, 'app'],
    [{ runtimeDir: {} }, 'runtimeDir'],
    [{ coreSignal: 9 }, 'coreSignal'],
    [{ allowInsecureDirs: 'yes' }, 'allowInsecureDirs'],
  ];
  for (const [raw, field] of cases) assert.equal(invalid(() => validateConfig(raw, '/')).details.field, field, JSON.stringify(raw));
  assert.equal(invalid(() => validateConfig(null as unknown as Record<string, unknown>, '/')).details.field, 'config');
  assert.equal(invalid(() => configFromArgv({ configJson: '{not json' }, '/', {})).details.field, '--config-json');
});

test('cross-field rule: restart.maxDelayMs is at least restart.baseDelayMs', () => {
  const err = invalid(() => validateConfig({ restart: { baseDelayMs: 5000, maxDelayMs: 1000 } }, '/'));
  assert.equal(err.details.field, 'restart.maxDelayMs');
  assert.match(err.message, /at least restart\.baseDelayMs \(5000\)/);
  assert.doesNotThrow(() => validateConfig({ restart: { baseDelayMs: 1000, maxDelayMs: 1000 } }, '/'));
});

test('a validated configuration passes validation again (what a parent hands its child)', () => {
  const config = validateConfig({ listen: ['127.0.0.1:9', '[::1]:9'], allowInsecureDirs: true, restart: { jitter: 0 } }, '/srv');
  assert.deepEqual(validateConfig(JSON.parse(JSON.stringify(config)) as Record<string, unknown>, '/'), config);
});

test('nearest key: small edits match, unrelated words do not', () => {
  assert.equal(editDistance('listn', 'listen'), 1);
  assert.equal(nearestKey('LogLevel', ['logLevel', 'logDir']), 'logLevel');
  assert.equal(nearestKey('staticdir', ['staticDir']), 'staticDir');
  assert.equal(nearestKey('banana', ['listen', 'app']), null);
});
