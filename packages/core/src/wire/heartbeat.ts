// The server heartbeat boundary (cop, ctl, chaos, tests -> server, over HTTP through the listening
// socket): the synthetic path every server answers before the application (Traffic Server's
// synthetic.txt) with a body naming its PID. The client is core's probeHeartbeat.

export const HEARTBEAT_PATH = '/_tripod/heartbeat';

/** The body a server answers the heartbeat with. */
export function heartbeatBody(pid: number): string {
  return `tripod-server pid=${pid}\n`;
}

/** The PID a heartbeat body names, or null. */
export function parseHeartbeatBody(body: string): number | null {
  const match = /^tripod-server pid=(\d+)\b/.exec(body);
  return match ? Number(match[1]) : null;
}
