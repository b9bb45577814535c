// A free TCP port for a test, a benchmark or a chaos campaign: bind to port 0, read it, close.
import { createServer } from 'node:net';

/** A port nothing listens on at `host` right now (default loopback). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
