// A clean environment for a process started by a test, the bench or a chaos campaign: none of the
// caller's TRIPOD_* configuration leaks into it.

/** `env` without TRIPOD_* and without the names starting with one of `dropPrefixes`. */
export function withoutTripodEnv(env: NodeJS.ProcessEnv = process.env, dropPrefixes: readonly string[] = []): NodeJS.ProcessEnv {
  const drop = ['TRIPOD_', ...dropPrefixes];
  return Object.fromEntries(Object.entries(env).filter(([k]) => !drop.some((p) => k.startsWith(p))));
}
