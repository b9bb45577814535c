import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { controlRequest } from '../src/control/client.js';
import { parseRequest, parseResponse, type ControlRequest } from '../src/wire/control.js';
import { serveControl } from '../src/control/server.js';
import { TripodError } from '../src/errors.js';
import type { Parsed } from '../src/wire/check.js';
import { rejection } from './reject.js';

let dir: string;
let socketPath: string;
let server: Server;
const seen: ControlRequest[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-control-'));
  socketPath = join(dir, 'manager.sock');
  server = await serveControl(socketPath, (request) => {
    seen.push(request);
    switch (request.cmd) {
      case 'ping':
        return { pong: true, echo: request.args?.n ?? null };
      case 'status':
        return Promise.resolve(undefined);
      case 'server-start':
        throw new TripodError('ERR_PORT_IN_USE', 'port 8080 is taken');
      case 'reload':
        throw new Error('boom');
      case 'server-drain':
        return new Promise(() => {}); // never answers
      default:
        return 'other';
    }
  });
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});


test('the socket file is mode 0600', () => {
  assert.equal(statSync(socketPath).mode & 0o777, 0o600);
});

test('a request gets its handler result, args passed through', async () => {
  assert.deepEqual(await controlRequest(socketPath, { cmd: 'ping', args: { n: 7 } }, 2000), { pong: true, echo: 7 });
  assert.deepEqual(seen.at(-1), { cmd: 'ping', args: { n: 7 } });
});

test('an undefined result arrives as null', async () => {
  assert.equal(await controlRequest(socketPath, { cmd: 'status' }, 2000), null);
});

test('a handler throwing a TripodError keeps its code in the details and its message', async () => {
  const err = await rejection(controlRequest(socketPath, { cmd: 'server-start' }, 2000));
  assert.equal(err.code, 'ERR_CONTROL_PROTOCOL');
  assert.equal(err.details.remoteCode, 'ERR_PORT_IN_USE');
  assert.match(err.message, /server-start failed: port 8080 is taken/);
});

test('a handler throwing a plain Error reports ERR_INTERNAL', async () => {
  const err = await rejection(controlRequest(socketPath, { cmd: 'reload' }, 2000));
  assert.equal(err.details.remoteCode, 'ERR_INTERNAL');
  assert.match(err.message, /boom/);
});

test('an unknown command is refused by the server without reaching the handler', async () => {
  const before = seen.length;
  const err = await rejection(controlRequest(socketPath, { cmd: 'format-disk' } as unknown as ControlRequest, 2000));
  assert.equal(err.details.remoteCode, 'ERR_CONTROL_PROTOCOL');
  assert.match(err.message, /unknown command "format-disk"/);
  assert.equal(seen.length, before);
});

test('a handler that never answers times out', async () => {
  const started = Date.now();
  const err = await rejection(controlRequest(socketPath, { cmd: 'server-drain' }, 150));
  assert.equal(err.code, 'ERR_CONTROL_TIMEOUT');
  assert.ok(Date.now() - started >= 140, 'not before the timeout');
});

test('a socket path with nobody listening is unreachable', async () => {
  const err = await rejection(controlRequest(join(dir, 'nobody.sock'), { cmd: 'ping' }, 2000));
  assert.equal(err.code, 'ERR_CONTROL_UNREACHABLE');
  assert.match(err.message, /ENOENT/);
});

const parsedValue = <T>(p: Parsed<T>): T => (p.ok ? p.value : assert.fail(`did not parse: ${p.error.message}`));
const parsedError = <T>(p: Parsed<T>): string => (p.ok ? assert.fail(`parsed: ${JSON.stringify(p.value)}`) : (assert.equal(p.error.code, 'ERR_CONTROL_PROTOCOL'), p.error.message));

test('parseRequest accepts known commands and defaults args to {}', () => {
  assert.deepEqual(parsedValue(parseRequest('{"cmd":"status"}')), { cmd: 'status', args: {} });
  assert.deepEqual(parsedValue(parseRequest('{"cmd":"server-restart","args":{"graceful":true}}')), { cmd: 'server-restart', args: { graceful: true } });
  assert.deepEqual(parsedValue(parseRequest('{"cmd":"ping","args":"x"}')), { cmd: 'ping', args: {} });
});

test('parseRequest explains what is wrong', () => {
  assert.equal(parsedError(parseRequest('not json')), 'request is not JSON');
  assert.equal(parsedError(parseRequest('null')), 'request has no "cmd"');
  assert.equal(parsedError(parseRequest('{"command":"ping"}')), 'request has no "cmd"');
  assert.match(parsedError(parseRequest('{"cmd":"kill-all"}')), /^unknown command "kill-all" \(known: ping, /);
  assert.match(parsedError(parseRequest('{"cmd":42}')), /^unknown command 42/);
});

test('parseResponse accepts ok and error responses', () => {
  assert.deepEqual(parsedValue(parseResponse('{"ok":true,"result":{"a":1}}')), { ok: true, result: { a: 1 } });
  assert.deepEqual(parsedValue(parseResponse('{"ok":false,"error":{"code":"E","message":"m"}}')), { ok: false, error: { code: 'E', message: 'm' } });
});

test('parseResponse rejects what is not a response', () => {
  for (const line of ['', 'nope', 'null', '42', '{"result":1}', '{"ok":"yes"}']) parsedError(parseResponse(line));
});

test('parseResponse rejects an error response without an error object', () => {
  parsedError(parseResponse('{"ok":false}'));
  parsedError(parseResponse('{"ok":false,"error":null}'));
});
