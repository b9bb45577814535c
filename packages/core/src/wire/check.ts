// Reading untrusted JSON (another process's message or file) into a typed value: each reader names
// the field it rejects, so a parse error says where the document is wrong, not just that it is.
import { TripodError } from '../errors.js';

/** A parsed message: the typed value, or the typed error saying why it is not one. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: TripodError };

export type Read<T> = (value: unknown, path: string) => T;

function reject(path: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60) ?? typeof value;
  throw new TripodError('ERR_WIRE_INVALID', `${path}: expected ${expected}, got ${got}`, { details: { path } });
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const num: Read<number> = (v, path) => (typeof v === 'number' && Number.isFinite(v) ? v : reject(path, 'a number', v));
export const int: Read<number> = (v, path) => (Number.isSafeInteger(v) ? (v as number) : reject(path, 'an integer', v));
export const str: Read<string> = (v, path) => (typeof v === 'string' ? v : reject(path, 'a string', v));
export const bool: Read<boolean> = (v, path) => (typeof v === 'boolean' ? v : reject(path, 'true or false', v));

/** A reader of exactly `expected`. */
export function literal<const T extends string | number | boolean>(expected: T): Read<T> {
  return (v, path) => (v === expected ? expected : reject(path, JSON.stringify(expected), v));
}

/** A reader that also accepts null. */
export function nullable<T>(read: Read<T>): Read<T | null> {
  return (v, path) => (v === null ? null : read(v, path));
}

/** A reader of one of the listed strings. */
export function oneOf<const T extends string>(values: readonly T[]): Read<T> {
  return (v, path) => ((values as readonly unknown[]).includes(v) ? (v as T) : reject(path, values.map((x) => JSON.stringify(x)).join(' or '), v));
}

/** A reader of an array whose items `read` accepts. */
export function list<T>(read: Read<T>): Read<readonly T[]> {
  return (v, path) => (Array.isArray(v) ? v.map((item, i) => read(item, `${path}[${i}]`)) : reject(path, 'an array', v));
}

/** A reader of an object whose values `read` accepts (keys are free). */
export function record<T>(read: Read<T>): Read<Readonly<Record<string, T>>> {
  return (v, path) => {
    if (!isRecord(v)) return reject(path, 'an object', v);
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, read(item, `${path}.${k}`)]));
  };
}

/** A reader of an object with fixed fields, each with its own reader. */
export function shape<T>(fields: { readonly [K in keyof T]: Read<T[K]> }): Read<T> {
  return (v, path) => {
    if (!isRecord(v)) return reject(path, 'an object', v);
    const out: Record<string, unknown> = {};
    for (const [key, read] of Object.entries(fields) as [string, Read<unknown>][]) out[key] = read(v[key], `${path}.${key}`);
    return out as T;
  };
}

/** Runs `read` over untrusted `value`; a rejection becomes the typed error, never a throw. */
export function parseWith<T>(what: string, value: unknown, read: Read<T>): Parsed<T> {
  try {
    return { ok: true, value: read(value, what) };
  } catch (err) {
    if (err instanceof TripodError) return { ok: false, error: err };
    throw err;
  }
}

/**
 * Reads a versioned document: its `version` must be `version` (ERR_WIRE_VERSION otherwise, so a
 * reader never misreads a document of a newer or older writer), then every field must match.
 */
export function parseVersioned<T>(what: string, value: unknown, version: number, read: Read<T>): Parsed<T> {
  const found = isRecord(value) ? value.version : undefined;
  if (found !== version) {
    const error = new TripodError('ERR_WIRE_VERSION', `${what}: version ${JSON.stringify(found) ?? 'missing'} is not the version ${version} this reader knows`, { details: { found, expected: version } });
    return { ok: false, error };
  }
  return parseWith(what, value, read);
}

/** The value, or null when it did not parse (for readers that treat a bad document as none). */
export function valueOrNull<T>(parsed: Parsed<T>): T | null {
  return parsed.ok ? parsed.value : null;
}
