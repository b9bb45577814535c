// Shared by the core tests: awaits a promise that must reject with a TripodError.
import assert from 'node:assert/strict';
import { isTripodError, type TripodError } from '../src/errors.js';

export async function rejection(promise: Promise<unknown>): Promise<TripodError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isTripodError(err), `not a TripodError: ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}
