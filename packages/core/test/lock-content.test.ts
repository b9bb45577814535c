import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeLockContent, parseLockContent } from '../src/lock/content.js';

test('"PID\\n" is valid', () => {
  assert.deepEqual(parseLockContent('1234\n'), { valid: true, pid: 1234 });
  assert.deepEqual(parseLockContent('  42  '), { valid: true, pid: 42 });
});

test('empty and whitespace-only files are empty', () => {
  assert.deepEqual(parseLockContent(''), { valid: false, reason: 'empty', text: '' });
  assert.deepEqual(parseLockContent(' \n\t'), { valid: false, reason: 'empty', text: ' \n\t' });
});

test('anything that is not an integer is garbage', () => {
  for (const text of ['abc', '12abc', '1.5', '+5', '0x10', '12\n34', '1e3']) {
    const content = parseLockContent(text);
    assert.equal(content.valid, false, text);
    assert.equal(!content.valid && content.reason, 'garbage', text);
  }
});

test('garbage text is cut to 40 characters', () => {
  const content = parseLockContent('x'.repeat(100));
  assert.equal(!content.valid && content.text.length, 40);
});

test('zero, negative and unsafe numbers are not positive PIDs', () => {
  for (const text of ['0', '-5', '99999999999999999999']) {
    const content = parseLockContent(text);
    assert.deepEqual(content, { valid: false, reason: 'not-positive', text }, text);
  }
});

test('PID 1 (init) is never a tier', () => {
  assert.deepEqual(parseLockContent('1\n'), { valid: false, reason: 'init', text: '1' });
});

test('describeLockContent names what is wrong', () => {
  assert.equal(describeLockContent(parseLockContent('1234\n')), 'PID 1234');
  assert.equal(describeLockContent(parseLockContent('')), 'empty');
  assert.equal(describeLockContent(parseLockContent('ab"c')), 'not a PID ("ab\\"c")');
  assert.equal(describeLockContent(parseLockContent('-5')), 'not a positive PID (-5)');
  assert.match(describeLockContent(parseLockContent('1')), /PID 1 \(init\)/);
});
