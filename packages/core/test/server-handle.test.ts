// Pins what tripod relies on in Node's private net._createServerHandle (through core's one wrapper):
// if a Node upgrade changes any of it, this fails before the cop silently stops holding sockets.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { bindServerHandle, wrapServerHandle, type ServerHandle } from '../src/net/server-handle.js';

function bound(host: string, port = 0): ServerHandle {
  const result = bindServerHandle(host, port);
  return result.ok ? result.handle : assert.fail(`bind ${host}:${port} failed: ${result.code}`);
}

function portOf(handle: ServerHandle): number {
  const out: Record<string, unknown> = {};
  assert.equal(handle.getsockname(out), 0, 'getsockname succeeds');
  assert.equal(typeof out.port, 'number');
  return out.port as number;
}

function connect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

test('the private API still exists with the shape the wrapper calls', () => {
  const fn = (net as unknown as { _createServerHandle?: unknown })._createServerHandle;
  assert.equal(typeof fn, 'function', `net._createServerHandle is gone in Node ${process.version}`);
});

test('it binds without listening: a real fd, an address, and connections refused until someone listens', async () => {
  const handle = bound('127.0.0.1');
  try {
    assert.ok(Number.isInteger(handle.fd) && handle.fd > 2, `a real fd (${handle.fd})`);
    const port = portOf(handle);
    assert.ok(port > 0);
    assert.equal(await connect(port), 'ECONNREFUSED', 'bound only: nobody accepts, nothing queues');
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen({ fd: handle.fd }, resolve));
    assert.equal(await connect(port), 'connected', 'a listen() on the fd serves the bound address');
    await new Promise<void>((resolve) => server.close(() => resolve()));
  } finally {
    handle.close();
  }
});

test('it wraps an fd it is given (systemd socket activation) and reads its address', () => {
  const first = bound('127.0.0.1');
  try {
    const result = wrapServerHandle(first.fd);
    assert.ok(result.ok, 'wrapping a bound TCP socket works');
    assert.equal(portOf(result.handle), portOf(first));
  } finally {
    first.close();
  }
});

test('a refused bind is an errno name, not a throw', () => {
  const result = bindServerHandle('192.0.2.1', 0); // TEST-NET-1: not an address of this host
  assert.ok(!result.ok, 'binding an address this host does not have fails');
  assert.equal(result.code, 'EADDRNOTAVAIL');
  assert.ok(result.errno < 0);
});
