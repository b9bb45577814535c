// A clean environment for the processes the bench starts.

/** The caller's environment without TRIPOD_* and NODE_OPTIONS, so nothing leaks into a target. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRIPOD_') && k !== 'NODE_OPTIONS') env[k] = v;
  return env;
}
