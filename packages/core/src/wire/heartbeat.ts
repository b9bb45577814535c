// The server heartbeat boundary (cop, ctl, chaos, tests -> server, over HTTP through the listening
// socket): the synthetic path every server answers before the application (Traffic Server's
// synthetic.txt) with a body naming its secret token, never its PID (the path is reachable by every
// client of a public listener). The instance's own user maps a token to its server through the
// owner-only liveness sockets (liveness/whose-token.ts). The client is core's probeHeartbeat.

export const HEARTBEAT_PATH = '/_tripod/heartbeat';

/** The body a server answers the heartbeat with. */
export function heartbeatBody(token: string): string {
  return `tripod-server token=${token}\n`;
}

/** The token a heartbeat body names, or null. */
export function parseHeartbeatBody(body: string): string | null {
  const match = /^tripod-server token=([A-Za-z0-9_-]{8,128})\n?$/.exec(body);
  return match ? match[1]! : null;
}
