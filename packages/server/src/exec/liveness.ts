// The keeper's answer to the cop's check (contract in core/exec/keeper-socket.ts): the program shows
// progress by a recent proof probe its own processes accepted, or by a WATCHDOG=1 inside the watchdog
// interval. The answer comes from memory at once: only a stopped or starved keeper answers late.
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { formatKeeperLine, parseKeeperRequest, type KeeperAnswer } from '@tripod/core/wire/keeper';

export interface LivenessSource {
  /** Answers one check at once, from what the keeper knows. */
  answer(): KeeperAnswer;
}

const MAX_REQUEST = 4096;

/** Listens on `path` (unix stream socket, mode 0600 by umask of the runtime dir's owner); one answer per request line. */
export function serveLiveness(path: string, source: LivenessSource): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST) return socket.destroy();
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const request = parseKeeperRequest(buffer.slice(0, nl));
      if (!request.ok) return socket.destroy();
      socket.end(formatKeeperLine(source.answer()));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
