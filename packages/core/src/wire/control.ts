// The control-socket boundary (ctl, cop -> manager): one JSON request per line, one JSON response per
// line. The results of `ping` and `status` are typed here too; `status` is manager-status.ts.
import { TripodError } from '../errors.js';
import { bool, int, isRecord, nullable, oneOf, parseWith, shape, type Parsed } from './check.js';

export const CONTROL_COMMANDS = ['ping', 'status', 'metrics', 'reload', 'server-start', 'server-stop', 'server-restart', 'server-drain', 'server-scale', 'server-replace', 'stop'] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

export interface ControlRequest {
  readonly cmd: ControlCommand;
  readonly args?: Record<string, unknown>;
}

export type ControlResponse =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** The manager's answer to `ping`, from memory only (no /proc reads on the heartbeat path). */
export interface PingReply {
  readonly pid: number;
  /** True when a server should be holding a slot lock right now (any slot of the pool). */
  readonly serverExpected: boolean;
  readonly serverPid: number | null;
}

/** The manager's answer to the commands that only start something (`server-*`, `stop`). */
export interface AcceptedReply {
  readonly accepted: ControlCommand;
}

/** The manager's answer to `server-scale` (args `{ size }`). */
export interface ScaleReply {
  readonly from: number;
  readonly to: number;
}

/** The manager's answer to `reload`. */
export interface ReloadReply {
  readonly reopenedLogs: boolean;
  readonly configApplied: boolean;
}

const protocolError = (message: string): Parsed<never> => ({ ok: false, error: new TripodError('ERR_CONTROL_PROTOCOL', message) });

function parseJson(line: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch {
    return { ok: false };
  }
}

/** One request line: a known command and its args ({} when absent), or ERR_CONTROL_PROTOCOL saying what is wrong. */
export function parseRequest(line: string): Parsed<ControlRequest> {
  const json = parseJson(line);
  if (!json.ok) return protocolError('request is not JSON');
  const value = json.value;
  if (!isRecord(value) || !('cmd' in value)) return protocolError('request has no "cmd"');
  const cmd = value.cmd;
  if (typeof cmd !== 'string' || !(CONTROL_COMMANDS as readonly string[]).includes(cmd)) {
    return protocolError(`unknown command ${JSON.stringify(cmd)} (known: ${CONTROL_COMMANDS.join(', ')})`);
  }
  return { ok: true, value: { cmd: cmd as ControlCommand, args: isRecord(value.args) ? value.args : {} } };
}

/** One response line, or ERR_CONTROL_PROTOCOL when it is not a response. */
export function parseResponse(line: string): Parsed<ControlResponse> {
  const json = parseJson(line);
  const value = json.ok ? json.value : null;
  if (isRecord(value)) {
    if (value.ok === true && 'result' in value) return { ok: true, value: { ok: true, result: value.result } };
    const error = value.error;
    if (value.ok === false && isRecord(error) && typeof error.message === 'string') {
      return { ok: true, value: { ok: false, error: { code: String(error.code), message: error.message } } };
    }
  }
  return protocolError('malformed response');
}

/** The result of `ping`, or ERR_WIRE_INVALID. */
export function parsePingReply(value: unknown): Parsed<PingReply> {
  return parseWith('ping reply', value, shape<PingReply>({ pid: int, serverExpected: bool, serverPid: nullable(int) }));
}

/** The result of `server-start`, `server-stop`, `server-drain`, `server-restart` and `stop`, or ERR_WIRE_INVALID. */
export function parseAcceptedReply(value: unknown): Parsed<AcceptedReply> {
  return parseWith('accepted reply', value, shape<AcceptedReply>({ accepted: oneOf(CONTROL_COMMANDS) }));
}

/** The result of `reload`, or ERR_WIRE_INVALID. */
export function parseReloadReply(value: unknown): Parsed<ReloadReply> {
  return parseWith('reload reply', value, shape<ReloadReply>({ reopenedLogs: bool, configApplied: bool }));
}

/** The result of `server-scale`, or ERR_WIRE_INVALID. */
export function parseScaleReply(value: unknown): Parsed<ScaleReply> {
  return parseWith('scale reply', value, shape<ScaleReply>({ from: int, to: int }));
}
