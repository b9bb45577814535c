// Prototype standby server (for standby.js): pays tripod-server's former start-up imports up front,
// loads the application, then waits for the parent's 'go' before it listens on the inherited fd 3.
import { createServer } from 'node:http';

await import('yargs');
await import('winston');
await import('@tripod/core');
const handler = (await import('../app.js')).default;
const server = createServer(handler);
process.on('message', (m) => {
  if (m === 'go') server.listen({ fd: 3 }, 511, () => process.send?.('listening'));
});
process.send?.('standby');
