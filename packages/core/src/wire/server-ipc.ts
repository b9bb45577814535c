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

/** Manager -> server: a standby takes over as the server of pool slot `slot` (its lock: serverLockPath(slot)). */
export type ManagerMessage = { readonly type: 'go'; readonly slot: number };

/** The `go` that promotes a standby into `slot`. */
export function goMessage(slot: number): ManagerMessage {
  return { type: 'go', slot };
}

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
  const read = shape<ManagerMessage>({ type: literal('go'), slot: int });
  const parsed = parseWith('manager message', value, read);
  if (parsed.ok && parsed.value.slot < 0) return { ok: false, error: new TripodError('ERR_WIRE_INVALID', `manager message: slot must be 0 or more, got ${parsed.value.slot}`) };
  return parsed;
}
