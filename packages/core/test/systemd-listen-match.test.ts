import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listenerMatches, matchListeners, normalizeHost, type PassedSocket } from '../src/systemd/listen-match.js';

const sock = (fd: number, host: string, port: number, name = 'http'): PassedSocket => ({ fd, name, address: { host, port } });

test('hosts compare after localhost and IPv4-mapped addresses are normalised', () => {
  assert.equal(normalizeHost('localhost'), '127.0.0.1');
  assert.equal(normalizeHost('::ffff:10.0.0.1'), '10.0.0.1');
  assert.equal(normalizeHost('FE80::1'), 'fe80::1');
});

test('a listener matches on the same host and port, or both wildcards on the same port', () => {
  assert.ok(listenerMatches({ host: 'localhost', port: 8080 }, { host: '127.0.0.1', port: 8080 }));
  assert.ok(listenerMatches({ host: '0.0.0.0', port: 8080 }, { host: '::', port: 8080 }), 'ListenStream=8080 binds [::]');
  assert.ok(!listenerMatches({ host: '127.0.0.1', port: 8080 }, { host: '127.0.0.1', port: 8081 }));
  assert.ok(!listenerMatches({ host: '127.0.0.1', port: 8080 }, { host: '::', port: 8080 }), 'a specific host is not a wildcard');
});

test('passed sockets are ordered by the configured listeners, the rest follow in fd order', () => {
  const passed = [sock(3, '127.0.0.1', 9000, 'admin'), sock(4, '127.0.0.1', 8080), sock(5, '::', 7000, 'extra')];
  const m = matchListeners([{ host: '127.0.0.1', port: 8080 }, { host: '127.0.0.1', port: 9000 }], passed);
  assert.deepEqual(m.sockets.map((s) => s.fd), [4, 3, 5]);
  assert.deepEqual(m.unconfigured.map((s) => s.fd), [5]);
  assert.deepEqual(m.notPassed, []);
});

test('configured listeners systemd did not pass are reported; the passed sockets are still all served', () => {
  const m = matchListeners([{ host: '127.0.0.1', port: 8080 }], [sock(3, '127.0.0.1', 18080)]);
  assert.deepEqual(m.notPassed, [{ host: '127.0.0.1', port: 8080 }]);
  assert.deepEqual(m.sockets.map((s) => s.fd), [3], 'the passed socket becomes the first listener, so the cop probes it');
});

test('one passed socket serves at most one configured listener', () => {
  const m = matchListeners([{ host: '0.0.0.0', port: 8080 }, { host: '::', port: 8080 }], [sock(3, '::', 8080)]);
  assert.deepEqual(m.sockets.map((s) => s.fd), [3]);
  assert.deepEqual(m.notPassed, [{ host: '::', port: 8080 }]);
});
