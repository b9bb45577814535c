// Before starting: the runtime directory must exist and be writable (created owner-only when missing, as the cop does).
import { checkRuntimeDir } from '@tripod/core';
import type { Ctl } from '../context.js';

/** Checks (creating it when missing) the runtime directory; throws a TripodError otherwise. */
export function prepareRuntimeDir(ctl: Ctl): void {
  checkRuntimeDir(ctl.config.runtimeDir);
}
