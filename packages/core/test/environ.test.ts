import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnviron } from '../src/proc/environ.js';

test('splits on NUL and on the first "=" only', () => {
  const env = parseEnviron('TRIPOD_INSTANCE=ab12\0TRIPOD_TIER=server\0OPTS=--a=b=c\0EMPTY=\0');
  assert.equal(env.get('TRIPOD_INSTANCE'), 'ab12');
  assert.equal(env.get('TRIPOD_TIER'), 'server');
  assert.equal(env.get('OPTS'), '--a=b=c');
  assert.equal(env.get('EMPTY'), '');
  assert.equal(env.size, 4, 'the empty entry after the trailing NUL adds nothing');
});

test('entries without a name or without "=" are skipped', () => {
  const env = parseEnviron('=nameless\0JUSTTEXT\0A=1');
  assert.deepEqual([...env], [['A', '1']]);
});

test('empty text is an empty environment', () => {
  assert.equal(parseEnviron('').size, 0);
});
