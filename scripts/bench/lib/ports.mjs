// Free loopback ports and a clean child environment.
import { createServer } from 'node:net';

/** A free loopback port (bind to 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The caller's environment without TRIPOD_* and NODE_OPTIONS, so nothing leaks into a target. */
export function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRIPOD_') && k !== 'NODE_OPTIONS') env[k] = v;
  return env;
}
