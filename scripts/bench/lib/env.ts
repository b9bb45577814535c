// A clean environment for the processes the bench starts.
import { withoutTripodEnv } from '@tripod/core';

/**
 * The caller's environment without TRIPOD_* and NODE_OPTIONS, so nothing leaks into a target; for
 * profiling, BENCH_NODE_OPTIONS becomes every target process's NODE_OPTIONS (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`).
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = withoutTripodEnv(process.env, ['NODE_OPTIONS', 'BENCH_NODE_OPTIONS']);
  return process.env.BENCH_NODE_OPTIONS ? { ...env, NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : env;
}
