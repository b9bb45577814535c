// Exec mode's settings (a foreign program supervised through the socket-activation protocol): the
// program's argv, how its readiness is known, the signal that makes it drain, its watchdog. Pure parsing.
import { constants } from 'node:os';

/** How a keeper learns that its program is ready: `READY=1` on NOTIFY_SOCKET, or a proof probe. */
export type ReadyMode =
  | { readonly kind: 'notify' }
  | { readonly kind: 'tcp' }
  | { readonly kind: 'http'; readonly path: string };

export const DEFAULT_READY: ReadyMode = Object.freeze({ kind: 'notify' });
export const DEFAULT_STOP_SIGNAL: NodeJS.Signals = 'SIGTERM';

/** A parse failure: what rule the value broke (the caller names the field). */
export class ExecParseError extends Error {}

/** `notify`, `tcp` or `http:/path` (the path must start with `/`). */
export function parseReadyMode(value: unknown): ReadyMode {
  if (value === undefined || value === null || value === '') return DEFAULT_READY;
  // The validated form, as a parent tier hands it down in --config-json.
  if (typeof value === 'object' && 'kind' in value) {
    const v = value as { kind: unknown; path?: unknown };
    return parseReadyMode(v.kind === 'http' ? `http:${String(v.path)}` : v.kind);
  }
  if (typeof value !== 'string') throw new ExecParseError('must be notify, tcp or http:/PATH');
  if (value === 'notify') return DEFAULT_READY;
  if (value === 'tcp') return Object.freeze({ kind: 'tcp' });
  const match = /^http:(\/[^\s]*)$/.exec(value);
  if (match) return Object.freeze({ kind: 'http', path: match[1]! });
  throw new ExecParseError('must be notify, tcp or http:/PATH');
}

/** The text form of a ready mode (what parseReadyMode reads back). */
export function formatReadyMode(mode: ReadyMode): string {
  return mode.kind === 'http' ? `http:${mode.path}` : mode.kind;
}

/** A signal name the platform knows, upper-cased, with or without `SIG` (`term` → `SIGTERM`). SIGKILL/SIGSTOP cannot drain anything. */
export function parseStopSignal(value: unknown): NodeJS.Signals {
  if (value === undefined || value === null || value === '') return DEFAULT_STOP_SIGNAL;
  if (typeof value !== 'string') throw new ExecParseError('must be a signal name such as SIGTERM, SIGINT or SIGQUIT');
  const upper = value.toUpperCase();
  const name = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as NodeJS.Signals;
  if (!(name in constants.signals)) throw new ExecParseError('must be a signal name such as SIGTERM, SIGINT or SIGQUIT');
  if (name === 'SIGKILL' || name === 'SIGSTOP') throw new ExecParseError(`${name} cannot be caught, so nothing could drain; the drain timeout ends in SIGKILL anyway`);
  return name;
}

/** The program's argv: a non-empty array of non-empty strings, or a JSON text of one (TRIPOD_EXEC); null when unset. */
export function parseExecArgv(value: unknown): readonly string[] | null {
  if (value === undefined || value === null || value === '') return null;
  let argv: unknown = value;
  if (typeof value === 'string') {
    try {
      argv = JSON.parse(value);
    } catch {
      throw new ExecParseError('must be a JSON array of strings, e.g. ["gunicorn","app:app"] (no shell)');
    }
  }
  if (!Array.isArray(argv)) throw new ExecParseError('must be an array of strings: the program and its arguments (no shell)');
  if (argv.length === 0) return null;
  if (!argv.every((a): a is string => typeof a === 'string')) throw new ExecParseError('every element must be a string');
  if (argv[0] === '') throw new ExecParseError('the program (first element) must not be empty');
  if (argv.some((a) => a.includes('\0'))) throw new ExecParseError('an argument contains a NUL byte');
  return Object.freeze([...argv]);
}
