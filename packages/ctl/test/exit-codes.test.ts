// ctl's own exit table: an error that ends a command never exits with a tier's code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXIT, ERROR_CODES, TripodError, type ErrorCode } from '@tripod/core';
import { CTL_EXIT, ctlExitForError } from '../src/exit-codes.js';

test('configuration errors exit 2, runtime-directory errors 4, everything else 1', () => {
  assert.equal(ctlExitForError(new TripodError('ERR_CONFIG_INVALID', 'x')), CTL_EXIT.USAGE);
  assert.equal(ctlExitForError(new TripodError('ERR_RUNTIME_DIR_MISSING', 'x')), CTL_EXIT.RUNTIME_DIR);
  assert.equal(ctlExitForError(new TripodError('ERR_LOCK_HELD', 'x')), CTL_EXIT.FAILURE, `not the tiers' ${EXIT.LOCK_HELD}`);
  assert.equal(ctlExitForError(new TripodError('ERR_PORT_IN_USE', 'x')), CTL_EXIT.FAILURE, `not the tiers' ${EXIT.BIND}`);
});

test('every registered error code maps into ctl\'s table', () => {
  const table = new Set<number>(Object.values(CTL_EXIT));
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) assert.ok(table.has(ctlExitForError(new TripodError(code, 'x'))), code);
});
