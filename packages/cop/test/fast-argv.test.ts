// The cop reads plain command lines without yargs: the result must be what yargs gives for them, and
// every other line must go to yargs (null).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import yargs from 'yargs';
import { configFromArgv, fastConfigArgv, yargsConfigOptions } from '@tripod/core';

const OWN = { 'unsafe-drop-sockets': { type: 'boolean' } } as const;

async function viaYargs(args: string[]): Promise<Record<string, unknown>> {
  return (await yargs(args).options(yargsConfigOptions()).option('unsafe-drop-sockets', { type: 'boolean' }).version(false).strict().parse()) as Record<string, unknown>;
}

test('plain lines: the same configuration as through yargs', async () => {
  const lines = [
    [],
    ['--runtime-dir', '/tmp/x', '--listen', '127.0.0.1:8080'],
    ['--listen', '127.0.0.1:1', '--listen', '127.0.0.1:2', '--servers', '2', '--hang-after-ms=3000'],
    ['--runtime-dir=/tmp/y', '--check-interval-ms', '250', '--kill-grace-ms', '1000', '--unsafe-drop-sockets'],
    ['--servers', '1', '--servers', '3'],
    ['--servers', 'auto'],
  ];
  for (const line of lines) {
    const fast = fastConfigArgv(line, OWN);
    assert.ok(fast !== null, `plain: ${line.join(' ')}`);
    assert.deepEqual(configFromArgv(fast, '/', {}), configFromArgv(await viaYargs(line), '/', {}), line.join(' '));
    assert.equal(Boolean(fast.unsafeDropSockets), line.includes('--unsafe-drop-sockets'));
  }
});

test('anything else goes to yargs: help, short, negated, positional, greedy arrays, odd numbers, unknown flags', () => {
  for (const line of [
    ['--help'], ['-h'], ['--version'], ['--no-unsafe-drop-sockets'], ['serve'], ['--listen', 'a:1', 'b:2'],
    ['--check-interval-ms', '1e3'], ['--bogus', '1'], ['--bogus=1'], ['--unsafe-drop-sockets=true'], ['--unsafe-drop-sockets', 'false'],
    ['--runtime-dir'], ['--runtime-dir', '--listen'], ['--', '--listen'],
  ]) {
    assert.equal(fastConfigArgv(line, OWN), null, line.join(' '));
  }
});
