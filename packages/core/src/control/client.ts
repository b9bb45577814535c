import { createConnection } from 'node:net';
import { TripodError } from '../errors.js';
import type { Parsed } from '../wire/check.js';
import { parseResponse, type ControlRequest } from '../wire/control.js';

/** Sends one request to the control socket and resolves with its result; every failure is a TripodError. */
export function controlRequest(socketPath: string, request: ControlRequest, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let buffer = '';
    const fail = (err: TripodError) => {
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new TripodError('ERR_CONTROL_TIMEOUT', `${socketPath} did not answer ${request.cmd} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      socket.end();
      const parsed = parseResponse(buffer.slice(0, newline));
      if (!parsed.ok) return reject(new TripodError('ERR_CONTROL_PROTOCOL', `${socketPath} sent a malformed response`, { cause: parsed.error }));
      const response = parsed.value;
      if (response.ok) return resolve(response.result);
      reject(new TripodError('ERR_CONTROL_PROTOCOL', `${request.cmd} failed: ${response.error.message}`, { details: { remoteCode: response.error.code } }));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new TripodError('ERR_CONTROL_PROTOCOL', `${socketPath} closed the connection without answering ${request.cmd}`));
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      fail(new TripodError('ERR_CONTROL_UNREACHABLE', `cannot reach ${socketPath}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, { cause: err }));
    });
  });
}

/** Sends one request and parses its result with the command's contract; a result that does not match it rejects with the parse error. */
export async function controlCall<T>(socketPath: string, request: ControlRequest, timeoutMs: number, parse: (value: unknown) => Parsed<T>): Promise<T> {
  const parsed = parse(await controlRequest(socketPath, request, timeoutMs));
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}
