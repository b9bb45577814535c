// Which configured listener each socket passed by systemd serves. The passed sockets are what the
// instance listens on; the configuration only orders them (its first listener is the one the cop probes).
import type { Listener } from '../config/config.js';

export interface PassedSocket {
  readonly fd: number;
  readonly name: string;
  /** Its local address (getsockname). */
  readonly address: Listener;
}

export interface ListenerMatch {
  /** Every passed socket, those matching a configured listener first (in configuration order), then the rest in fd order. */
  readonly sockets: readonly PassedSocket[];
  /** Configured listeners no passed socket matches: nobody serves them. */
  readonly notPassed: readonly Listener[];
  /** Passed sockets no configured listener names (still served). */
  readonly unconfigured: readonly PassedSocket[];
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** 'localhost' and IPv4-mapped IPv6 addresses compare as their IPv4 address. */
export function normalizeHost(host: string): string {
  if (host === 'localhost') return '127.0.0.1';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (mapped) return mapped[1]!;
  return host.toLowerCase();
}

/** Same port, and the same host, or both wildcards (ListenStream=8080 binds [::]:8080, which also takes IPv4). */
export function listenerMatches(configured: Listener, passed: Listener): boolean {
  if (configured.port !== passed.port) return false;
  const a = normalizeHost(configured.host);
  const b = normalizeHost(passed.host);
  return a === b || (WILDCARDS.has(a) && WILDCARDS.has(b));
}

/** Orders the passed sockets by the configured listeners they match. */
export function matchListeners(configured: readonly Listener[], passed: readonly PassedSocket[]): ListenerMatch {
  const taken = new Set<PassedSocket>();
  const ordered: PassedSocket[] = [];
  const notPassed: Listener[] = [];
  for (const listener of configured) {
    const found = passed.find((p) => !taken.has(p) && listenerMatches(listener, p.address));
    if (found === undefined) {
      notPassed.push(listener);
      continue;
    }
    taken.add(found);
    ordered.push(found);
  }
  const unconfigured = passed.filter((p) => !taken.has(p));
  return { sockets: [...ordered, ...unconfigured], notPassed, unconfigured };
}
