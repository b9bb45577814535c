import assert from 'node:assert/strict';
import { test } from 'node:test';
import { integerBetween, mulberry32, pick } from '../src/toolbox/prng.js';

test('mulberry32 gives the reference sequence for fixed seeds', () => {
  // Values of the canonical JavaScript mulberry32 for these seeds.
  const r0 = mulberry32(0);
  assert.deepEqual([r0(), r0(), r0()], [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
  const r42 = mulberry32(42);
  assert.deepEqual([r42(), r42(), r42()], [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
});

test('mulberry32 stays in [0, 1) and two generators with one seed agree', () => {
  const a = mulberry32(123456789);
  const b = mulberry32(123456789);
  for (let i = 0; i < 10_000; i++) {
    const v = a();
    assert.ok(v >= 0 && v < 1, String(v));
    assert.equal(v, b());
  }
});

test('pick and integerBetween cover their whole range and nothing outside', () => {
  const random = mulberry32(7);
  const seen = new Set<string>();
  const ints = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    seen.add(pick(random, ['a', 'b', 'c']));
    ints.add(integerBetween(random, 3, 6));
  }
  assert.deepEqual([...seen].sort(), ['a', 'b', 'c']);
  assert.deepEqual([...ints].sort(), [3, 4, 5, 6]);
  assert.equal(pick(() => 0.999999999, ['x', 'y']), 'y');
  assert.equal(integerBetween(() => 0.999999999, 1, 2), 2);
  assert.throws(() => pick(random, []), RangeError);
});
