// The synthetic path the cop probes through the real listening socket (Traffic Server's synthetic.txt).
export const HEARTBEAT_PATH = '/_tripod/heartbeat';

/** The body a server answers the heartbeat with: it names the PID that served it. */
export function heartbeatBody(pid: number): string {
  return `tripod-server pid=${pid}\n`;
}

/** The PID a heartbeat body names, or null. */
export function parseHeartbeatBody(body: string): number | null {
  const match = /^tripod-server pid=(\d+)\b/.exec(body);
  return match ? Number(match[1]) : null;
}
