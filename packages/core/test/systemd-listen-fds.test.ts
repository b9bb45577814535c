import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTripodError } from '../src/errors.js';
import { parseListenFds, takeListenFds } from '../src/systemd/listen-fds.js';

test('fds start at 3 and take their names from LISTEN_FDNAMES', () => {
  assert.deepEqual(parseListenFds({ LISTEN_PID: '42', LISTEN_FDS: '2', LISTEN_FDNAMES: 'http:admin' }, 42), [
    { fd: 3, name: 'http' },
    { fd: 4, name: 'admin' },
  ]);
});

test('missing or empty names are "unknown", as sd_listen_fds_with_names says', () => {
  assert.deepEqual(parseListenFds({ LISTEN_PID: '42', LISTEN_FDS: '3', LISTEN_FDNAMES: 'http::' }, 42), [
    { fd: 3, name: 'http' },
    { fd: 4, name: 'unknown' },
    { fd: 5, name: 'unknown' },
  ]);
  assert.deepEqual(parseListenFds({ LISTEN_PID: '42', LISTEN_FDS: '1' }, 42), [{ fd: 3, name: 'unknown' }]);
});

test('fds passed to another PID (we were forked after systemd set them) are not ours', () => {
  assert.deepEqual(parseListenFds({ LISTEN_PID: '41', LISTEN_FDS: '1' }, 42), []);
  assert.deepEqual(parseListenFds({ LISTEN_FDS: '1' }, 42), []);
  assert.deepEqual(parseListenFds({ LISTEN_PID: '42', LISTEN_FDS: '0' }, 42), []);
});

test('garbage is an error naming the variable', () => {
  assert.throws(() => parseListenFds({ LISTEN_PID: '42', LISTEN_FDS: 'two' }, 42), (err: unknown) => isTripodError(err, 'ERR_CONFIG_INVALID') && err.message.includes('LISTEN_FDS'));
  assert.throws(() => parseListenFds({ LISTEN_PID: 'me', LISTEN_FDS: '1' }, 42), (err: unknown) => isTripodError(err, 'ERR_CONFIG_INVALID') && err.message.includes('LISTEN_PID'));
});

test('takeListenFds always removes the variables, ours or not, so no child believes they were meant for it', () => {
  const env: NodeJS.ProcessEnv = { LISTEN_PID: '42', LISTEN_FDS: '1', LISTEN_FDNAMES: 'http', PATH: '/bin' };
  assert.deepEqual(takeListenFds(env, 42), [{ fd: 3, name: 'http' }]);
  assert.deepEqual(env, { PATH: '/bin' });
  const other: NodeJS.ProcessEnv = { LISTEN_PID: '7', LISTEN_FDS: '1' };
  assert.deepEqual(takeListenFds(other, 42), []);
  assert.deepEqual(other, {});
});
