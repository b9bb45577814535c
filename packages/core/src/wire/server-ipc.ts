// The manager <-> server boundary: messages over the IPC channel the manager opens when it spawns a
// server. The server reports its progress; the manager promotes a warm standby with `go` and tells
// every server the pool's size when it changes (`pool`: a pooled server recycles keep-alive connections).
import { int, literal, num, oneOf, parseWith, shape, isRecord, type Parsed, type Read } from './check.js';
import { TripodError } from '../errors.js';

/** Server -> manager. */
export type ServerMessage =
  | { readonly type: 'standby'; readonly pid: number }
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'locked'; readonly pid: number }
  | { readonly type: 'drained'; readonly pid: number; readonly outcome: 'success' | 'timeout'; readonly openConnections: number; readonly ms: number };

/**
 * Manager -> server. `go`: a standby takes over as the server of pool slot `slot` (its lock:
 * serverLockPath(slot)) in a pool of `servers`. `pool`: the pool now has `servers` servers (a scale, or a
 * reload that changed `servers`); a server started before that learns it here.
 */
export type ManagerMessage =
  | { readonly type: 'go'; readonly slot: number; readonly servers: number }
  | { readonly type: 'pool'; readonly servers: number };

/** The `go` that promotes a standby into `slot` of a pool of `servers`. */
export function goMessage(slot: number, servers: number): ManagerMessage {
  return { type: 'go', slot, servers };
}

/** The `pool` message: the pool's size is now `servers`. */
export function poolMessage(servers: number): ManagerMessage {
  return { type: 'pool', servers };
}

const READERS = {
  standby: shape({ type: literal('standby'), pid: int }),
  ready: shape({ type: literal('ready'), pid: int }),
  locked: shape({ type: literal('locked'), pid: int }),
  drained: shape({ type: literal('drained'), pid: int, outcome: oneOf(['success', 'timeout']), openConnections: int, ms: num }),
} as const;

/** `value` read by the reader its `type` names in `readers`, or ERR_WIRE_INVALID naming the unknown type or the bad field. */
function parseTagged<T>(what: string, value: unknown, readers: Readonly<Record<string, Read<T>>>): Parsed<T> {
  const type = isRecord(value) ? value.type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(readers, type)) {
    return { ok: false, error: new TripodError('ERR_WIRE_INVALID', `${what}: unknown type ${JSON.stringify(type) ?? 'missing'} (known: ${Object.keys(readers).join(', ')})`) };
  }
  return parseWith<T>(what, value, readers[type]!);
}

/** A server's IPC message, or ERR_WIRE_INVALID naming what is wrong with it. */
export function parseServerMessage(value: unknown): Parsed<ServerMessage> {
  return parseTagged<ServerMessage>('server message', value, READERS);
}

const MANAGER_READERS = {
  go: shape({ type: literal('go'), slot: int, servers: int }),
  pool: shape({ type: literal('pool'), servers: int }),
} as const;

/** The manager's IPC message, or ERR_WIRE_INVALID. */
export function parseManagerMessage(value: unknown): Parsed<ManagerMessage> {
  const parsed = parseTagged<ManagerMessage>('manager message', value, MANAGER_READERS);
  if (!parsed.ok) return parsed;
  const message = parsed.value;
  if (message.type === 'go' && message.slot < 0) return { ok: false, error: new TripodError('ERR_WIRE_INVALID', `manager message: slot must be 0 or more, got ${message.slot}`) };
  if (message.servers < 1) return { ok: false, error: new TripodError('ERR_WIRE_INVALID', `manager message: servers must be 1 or more, got ${message.servers}`) };
  return parsed;
}
