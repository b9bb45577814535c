// The cop/ctl/chaos -> keeper boundary (exec mode): a unix stream socket `<runtimeDir>/exec-<pid>.sock`
// the keeper serves; one JSON request line, one JSON answer line. The cop asks it instead of sending
// the synthetic heartbeat, which a foreign program cannot answer. The client is core/exec/keeper-socket.ts.
import { TripodError } from '../errors.js';
import { bool, int, literal, nullable, num, oneOf, parseVersioned, shape, str, type Parsed } from './check.js';

export const KEEPER_VERSION = 1 as const;

export interface KeeperRequest {
  readonly version: typeof KEEPER_VERSION;
  /** How long the keeper may take to prove its program answers. */
  readonly timeoutMs: number;
}

export const KEEPER_VIAS = ['probe', 'activity', 'watchdog', 'draining'] as const;

export interface KeeperAnswer {
  readonly version: typeof KEEPER_VERSION;
  /** The keeper's PID (the server.lock holder). */
  readonly pid: number;
  readonly programPid: number | null;
  /** The program showed progress. */
  readonly ok: boolean;
  readonly error: string | null;
  /** How: a proof probe its own processes accepted, system calls seen in /proc (activity), a recent WATCHDOG=1, or draining (not judged); null when starting. */
  readonly via: (typeof KEEPER_VIAS)[number] | null;
  /** When the program last showed progress (ms since the epoch), or null. */
  readonly progressAt: number | null;
}

const readAnswer = shape<KeeperAnswer>({
  version: literal(KEEPER_VERSION),
  pid: int,
  programPid: nullable(int),
  ok: bool,
  error: nullable(str),
  via: nullable(oneOf(KEEPER_VIAS)),
  progressAt: nullable(num),
});

const readRequest = shape<KeeperRequest>({ version: literal(KEEPER_VERSION), timeoutMs: num });

function json(what: string, line: string): { ok: true; value: unknown } | { ok: false; error: TripodError } {
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch {
    return { ok: false, error: new TripodError('ERR_WIRE_INVALID', `${what}: not JSON: ${JSON.stringify(line.slice(0, 60))}`) };
  }
}

/** One untrusted answer line → a KeeperAnswer, or ERR_WIRE_VERSION / ERR_WIRE_INVALID naming the bad field. */
export function parseKeeperAnswer(line: string): Parsed<KeeperAnswer> {
  const parsed = json('keeper answer', line);
  return parsed.ok ? parseVersioned('keeper answer', parsed.value, KEEPER_VERSION, readAnswer) : parsed;
}

/** One untrusted request line → a KeeperRequest. */
export function parseKeeperRequest(line: string): Parsed<KeeperRequest> {
  const parsed = json('keeper request', line);
  return parsed.ok ? parseVersioned('keeper request', parsed.value, KEEPER_VERSION, readRequest) : parsed;
}

/** A line as sent. */
export function formatKeeperLine(message: KeeperAnswer | KeeperRequest): string {
  return `${JSON.stringify(message)}\n`;
}
