import { TripodError } from '../errors.js';
import { askLine } from '../net/ask-line.js';
import type { Parsed } from '../wire/check.js';
import { parseResponse, type ControlRequest } from '../wire/control.js';

/** Sends one request to the control socket and resolves with its result; every failure is a TripodError. */
export async function controlRequest(socketPath: string, request: ControlRequest, timeoutMs: number): Promise<unknown> {
  const answer = await askLine(socketPath, { request: JSON.stringify(request), timeoutMs });
  if (!answer.ok) {
    switch (answer.kind) {
      case 'timeout':
        throw new TripodError('ERR_CONTROL_TIMEOUT', `${socketPath} did not answer ${request.cmd} within ${timeoutMs} ms`);
      case 'error':
        throw new TripodError('ERR_CONTROL_UNREACHABLE', `cannot reach ${socketPath}: ${answer.code}`, { cause: answer.cause });
      default:
        throw new TripodError('ERR_CONTROL_PROTOCOL', `${socketPath} closed the connection without answering ${request.cmd}`);
    }
  }
  const parsed = parseResponse(answer.line);
  if (!parsed.ok) throw new TripodError('ERR_CONTROL_PROTOCOL', `${socketPath} sent a malformed response`, { cause: parsed.error });
  const response = parsed.value;
  if (response.ok) return response.result;
  throw new TripodError('ERR_CONTROL_PROTOCOL', `${request.cmd} failed: ${response.error.message}`, { details: { remoteCode: response.error.code } });
}

/** Sends one request and parses its result with the command's contract; a result that does not match it rejects with the parse error. */
export async function controlCall<T>(socketPath: string, request: ControlRequest, timeoutMs: number, parse: (value: unknown) => Parsed<T>): Promise<T> {
  const parsed = parse(await controlRequest(socketPath, request, timeoutMs));
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}
