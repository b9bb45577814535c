// Fuzzing the two parsers that take untrusted input: the control protocol's request line and the
// configuration validator. Random and mutated inputs, seeded and bounded: each answer is a value or a
// typed error, never a crash. A failure prints the seed and the input to replay it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromEnv } from '../src/config/cli.js';
import { validateConfig } from '../src/config/validate.js';
import { answerLine } from '../src/control/server.js';
import { parseRequest, parseResponse } from '../src/wire/control.js';
import { isTripodError } from '../src/errors.js';
import { mulberry32 } from '../src/toolbox/prng.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x7121d0d);
const ITERATIONS = 4000;


const KEYS = ['runtimeDir', 'logDir', 'logLevel', 'listen', 'app', 'staticDir', 'backlog', 'standby', 'checkIntervalMs', 'probeTimeoutMs', 'probeFailures',
  'restart', 'baseDelayMs', 'maxDelayMs', 'jitter', 'coreSignal', 'cmd', 'args', 'port', 'host', '__proto__', 'constructor', 'toString', 'listn', ''];

function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 2 ? 8 : 11));
  switch (pick) {
    case 0: return null;
    case 1: return rand() < 0.5;
    case 2: return Math.floor((rand() - 0.5) * 2 ** (rand() * 40));
    case 3: return [NaN, Infinity, -Infinity, -0, 1e308, 0.5][Math.floor(rand() * 6)];
    case 4: return ['', ' ', 'info', 'none', '127.0.0.1:80', '[::1]:1', '65536', '../..', 'SIGABRT', '\u0000', 'é'.repeat(50)][Math.floor(rand() * 11)];
    case 5: return String.fromCharCode(...Array.from({ length: Math.floor(rand() * 20) }, () => Math.floor(rand() * 0x3000)));
    case 6: return Math.floor(rand() * 70000);
    case 7: return undefined;
    case 8: return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    default: {
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 5); i > 0; i--) obj[KEYS[Math.floor(rand() * KEYS.length)]!] = randomValue(rand, depth + 1);
      return obj;
    }
  }
}

function mutate(text: string, rand: () => number): string {
  const chars = [...text];
  for (let i = Math.floor(rand() * 4) + 1; i > 0; i--) {
    const at = Math.floor(rand() * (chars.length + 1));
    const op = rand();
    if (op < 0.3) chars.splice(at, 1);
    else if (op < 0.6) chars.splice(at, 0, '{}[]":,\\0 \n\u2028'[Math.floor(rand() * 13)]!);
    else if (op < 0.8) chars.splice(at, 0, String.fromCharCode(Math.floor(rand() * 128)));
    else chars.splice(at, 0, ...chars.slice(0, Math.floor(rand() * 10)));
  }
  return chars.join('');
}

function replay(seed: number, i: number, input: unknown): string {
  let shown: string;
  try {
    shown = JSON.stringify(input) ?? String(input);
  } catch {
    shown = String(input);
  }
  return `seed ${seed}, iteration ${i}, input ${shown.slice(0, 300)}`;
}

test('the control request parser answers every line with a request or a typed error', () => {
  const rand = mulberry32(SEED);
  const valid = ['{"cmd":"ping"}', '{"cmd":"status","args":{}}', '{"cmd":"reload","args":{"config":{"listen":["1"]}}}'];
  for (let i = 0; i < ITERATIONS; i++) {
    const line = rand() < 0.5 ? mutate(valid[Math.floor(rand() * valid.length)]!, rand) : JSON.stringify(randomValue(rand)) ?? 'undefined';
    let result: ReturnType<typeof parseRequest>;
    try {
      result = parseRequest(line);
      parseResponse(line);
    } catch (err) {
      assert.fail(`threw ${String(err)}: ${replay(SEED, i, line)}`);
    }
    if (result.ok) {
      assert.equal(typeof result.value.cmd, 'string', replay(SEED, i, line));
    } else {
      assert.ok(isTripodError(result.error), replay(SEED, i, line));
      assert.equal(result.error.code, 'ERR_CONTROL_PROTOCOL', replay(SEED, i, line));
    }
  }
});

test('the config validator answers every input with a configuration or ERR_CONFIG_INVALID', () => {
  const rand = mulberry32(SEED + 1);
  let accepted = 0;
  const base = { listen: ['127.0.0.1:8080'], restart: { baseDelayMs: 100, maxDelayMs: 1000 }, logLevel: 'debug', backlog: 10 };
  for (let i = 0; i < ITERATIONS; i++) {
    let raw: unknown;
    if (rand() < 0.5) raw = randomValue(rand);
    else {
      try {
        raw = JSON.parse(mutate(JSON.stringify(base), rand));
      } catch {
        raw = { ...base, [KEYS[Math.floor(rand() * KEYS.length)]!]: randomValue(rand) };
      }
    }
    try {
      const config = validateConfig(raw as Record<string, unknown>, '/srv');
      assert.ok(Object.isFrozen(config), replay(SEED, i, raw));
      accepted++;
    } catch (err) {
      assert.ok(isTripodError(err, 'ERR_CONFIG_INVALID'), `${String(err)}: ${replay(SEED + 1, i, raw)}`);
      assert.equal(typeof err.details.field, 'string');
    }
  }
  assert.ok(accepted > 0, 'some inputs were valid: the fuzzer reaches past the first check');
});

test('TRIPOD_* variables: random names and values give a record or ERR_CONFIG_INVALID', () => {
  const rand = mulberry32(SEED + 2);
  const names = ['TRIPOD_LISTEN', 'TRIPOD_BACKLOG', 'TRIPOD_LOG_LEVEL', 'TRIPOD_STANDBY', 'TRIPOD_LISTN', 'TRIPOD_', 'TRIPOD_X', 'HOME'];
  for (let i = 0; i < ITERATIONS / 4; i++) {
    const env: NodeJS.ProcessEnv = {};
    for (let k = Math.floor(rand() * 3); k >= 0; k--) {
      const value = randomValue(rand);
      env[names[Math.floor(rand() * names.length)]!] = typeof value === 'string' ? value : JSON.stringify(value) ?? ''; // the environment holds strings only
    }
    try {
      validateConfig(configFromEnv(env), '/');
    } catch (err) {
      assert.ok(isTripodError(err, 'ERR_CONFIG_INVALID'), `${String(err)}: ${replay(SEED + 2, i, env)}`);
    }
  }
});

test('the control server answers every line with a response carrying a registered error code, never a rejection', async () => {
  const rand = mulberry32(SEED + 3);
  const handle = () => ({ pong: true });
  for (let i = 0; i < ITERATIONS / 4; i++) {
    const line = rand() < 0.5 ? mutate('{"cmd":"ping","args":{}}', rand) : JSON.stringify(randomValue(rand)) ?? '';
    const response = await answerLine(line, handle);
    if (!response.ok) assert.equal(typeof response.error.code, 'string', replay(SEED + 3, i, line));
    else assert.deepEqual(response.result, { pong: true });
  }
});
