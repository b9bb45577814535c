// A clean environment for the processes the bench starts.
import { withoutTripodEnv } from '@tripod/core';

/** The caller's environment without TRIPOD_* and NODE_OPTIONS, so nothing leaks into a target. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return withoutTripodEnv(process.env, ['NODE_OPTIONS']);
}
