// The manager's control protocol: one JSON request per line, one JSON response per line.

export const CONTROL_COMMANDS = ['ping', 'status', 'metrics', 'reload', 'server-start', 'server-stop', 'server-restart', 'server-drain', 'server-scale', 'stop'] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

export interface ControlRequest {
  readonly cmd: ControlCommand;
  readonly args?: Record<string, unknown>;
}

export type ControlResponse =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** Parses one request line; returns an error string for anything that is not a known command. */
export function parseRequest(line: string): ControlRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'request is not JSON';
  }
  if (typeof value !== 'object' || value === null || !('cmd' in value)) return 'request has no "cmd"';
  const cmd = (value as { cmd: unknown }).cmd;
  if (typeof cmd !== 'string' || !(CONTROL_COMMANDS as readonly string[]).includes(cmd)) {
    return `unknown command ${JSON.stringify(cmd)} (known: ${CONTROL_COMMANDS.join(', ')})`;
  }
  const args = (value as { args?: unknown }).args;
  return { cmd: cmd as ControlCommand, args: typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {} };
}

/** Parses one response line, or returns null when it is not a response. */
export function parseResponse(line: string): ControlResponse | null {
  try {
    const value = JSON.parse(line) as ControlResponse;
    if (typeof value !== 'object' || value === null) return null;
    if (value.ok === true && 'result' in value) return value;
    if (value.ok === false && typeof value.error === 'object' && value.error !== null && typeof value.error.message === 'string') return value;
  } catch {
    // fall through
  }
  return null;
}
