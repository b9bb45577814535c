// The manager <-> server boundary: messages over the IPC channel the manager opens when it spawns a
// server. The server reports its progress; the manager promotes a warm standby with `go`.
import { int, literal, num, oneOf, parseWith, shape, isRecord, type Parsed } from './check.js';
import { TripodError } from '../errors.js';

/** Server -> manager. */
export type ServerMessage =
  | { readonly type: 'standby'; readonly pid: number }
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'locked'; readonly pid: number }
  | { readonly type: 'drained'; readonly pid: number; readonly outcome: 'success' | 'timeout'; readonly openConnections: number; readonly ms: number };

/** Manager -> server: a standby takes over as the serving server. */
export type ManagerMessage = { readonly type: 'go' };

export const GO: ManagerMessage = Object.freeze({ type: 'go' });

const READERS = {
  standby: shape({ type: literal('standby'), pid: int }),
  ready: shape({ type: literal('ready'), pid: int }),
  locked: shape({ type: literal('locked'), pid: int }),
  drained: shape({ type: literal('drained'), pid: int, outcome: oneOf(['success', 'timeout']), openConnections: int, ms: num }),
} as const;

function messageType(value: unknown): unknown {
  return isRecord(value) ? value.type : undefined;
}

/** A server's IPC message, or ERR_WIRE_INVALID naming what is wrong with it. */
export function parseServerMessage(value: unknown): Parsed<ServerMessage> {
  const type = messageType(value);
  if (typeof type !== 'string' || !Object.hasOwn(READERS, type)) {
    const error = new TripodError('ERR_WIRE_INVALID', `server message: unknown type ${JSON.stringify(type) ?? 'missing'} (known: ${Object.keys(READERS).join(', ')})`);
    return { ok: false, error };
  }
  return parseWith<ServerMessage>('server message', value, READERS[type as keyof typeof READERS]);
}

/** The manager's IPC message, or ERR_WIRE_INVALID. */
export function parseManagerMessage(value: unknown): Parsed<ManagerMessage> {
  return parseWith('manager message', value, shape<ManagerMessage>({ type: literal('go') }));
}
