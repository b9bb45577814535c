// The cop's plain reading of its command line (args.ts) returns exactly what yargs returns for the
// same line, and hands every line it cannot vouch for to yargs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copYargs, parsePlainArgs } from '../src/args.js';

/** What yargs returns for the line (less `$0`), or the message it would fail with. */
async function viaYargs(args: string[]): Promise<Record<string, unknown> | { failed: string }> {
  let failed: string | null = null;
  const y = (await copYargs(args)).exitProcess(false).fail((msg: string | null, err: Error | null) => {
    failed = msg ?? err?.message ?? 'failed';
  });
  const argv = (await y.parse()) as Record<string, unknown>;
  if (failed !== null) return { failed };
  const { $0: _, ...rest } = argv;
  return rest;
}

const PLAIN: string[][] = [
  [],
  ['--runtime-dir', '/run/x', '--listen', '127.0.0.1:8080'],
  ['--runtime-dir=/run/x', '--listen=127.0.0.1:1', '--listen', '[::1]:2'],
  ['--config', 'tripod.json', '--log-level', 'debug'],
  ['--config-json', '{"runtimeDir":"/x"}'],
  ['--backlog', '128', '--check-interval-ms', '250', '--servers', 'auto', '--servers', '2'],
  ['--backlog', 'abc'],
  ['--standby'],
  ['--no-standby'],
  ['--standby', 'false'],
  ['--allow-insecure-dirs', '--unsafe-drop-sockets'],
  ['--exec-cwd', '/srv', '--', 'node', 'app.js', '--port', '3000', '1.5', '-1', '0x10', '1e3', '99999999999999999999'],
  ['--runtime-dir', '/x', '--'],
  ['--runtime-dir'],
];

for (const args of PLAIN) {
  test(`plain: ${JSON.stringify(args)} reads as yargs reads it`, async () => {
    const plain = parsePlainArgs(args);
    assert.notEqual(plain, null, 'vouched for');
    assert.deepEqual(plain, await viaYargs(args));
  });
}

const FOR_YARGS: [string[], RegExp | null][] = [
  [['--help'], null],
  [['--runtime-dir', '/x', '--help'], null],
  [['help'], null],
  [['--version'], /Unknown argument: version/],
  [['--bogus'], /Unknown argument: bogus/],
  [['-h'], /Unknown argument: h/],
  // a camel-case flag: yargs' own reading (the parser alone does not take it for --runtime-dir)
  [['--runtimeDir', '/camel'], null],
  [['foo'], /Unknown argument: foo/],
  [['--no-standby', '--bogus=1'], /Unknown argument: bogus/],
];

for (const [args, message] of FOR_YARGS) {
  test(`for yargs: ${JSON.stringify(args)}`, async () => {
    assert.equal(parsePlainArgs(args), null);
    if (message) {
      const got = await viaYargs(args);
      assert.ok('failed' in got, JSON.stringify(got));
      assert.match(String(got.failed), message);
    }
  });
}

test('the words after -- reach the program as written, numbers included (both readings)', async () => {
  const args = ['--', 'prog', '0x10', '007', '1e3', '-1', '99999999999999999999'];
  const words = args.slice(1);
  assert.deepEqual(parsePlainArgs(args)?.['--'], words);
  assert.deepEqual((await viaYargs(args) as Record<string, unknown>)['--'], words);
});
