// Is each configured port free, held by this instance, or held by some other process (and which)?
// A test bind says whether it is free; /proc (socket inode -> /proc/PID/fd) names the holder.
import { createServer } from 'node:net';
import { ENV_INSTANCE, ENV_TIER, findPortHolders, readEnviron, systemErrorCode, type Listener } from '@tripod/core';
import { fail, pass, type CheckResult } from './check.js';

/** Tries to listen on the address; resolves with null when it could, or the error code. */
export function tryBind(listener: Listener): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err) => resolve(systemErrorCode(err) ?? err.message));
    server.listen({ host: listener.host, port: listener.port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

export interface PortHolder {
  readonly pid: number;
  readonly name: string;
  readonly cmd: string;
  /** The tripod instance and tier its environment names, when it is a tier of some instance. */
  readonly instance: string | null;
  readonly tier: string | null;
}

/** The processes holding `port` (from /proc), with their tripod identity when they have one. */
export async function portHolders(port: number): Promise<PortHolder[]> {
  const found = await findPortHolders(port);
  return found.map((p) => {
    const env = readEnviron(p.pid);
    return { pid: p.pid, name: p.name, cmd: p.cmd, instance: env?.get(ENV_INSTANCE) ?? null, tier: env?.get(ENV_TIER) ?? null };
  });
}

/** The finding for one listener of the instance `instance` (null when the runtime directory does not exist). */
export async function checkPort(listener: Listener, instance: string | null): Promise<CheckResult> {
  const where = `${listener.host.includes(':') ? `[${listener.host}]` : listener.host}:${listener.port}`;
  const name = `port ${where}`;
  const error = await tryBind(listener);
  if (error === null) return pass(name, 'free');
  if (error !== 'EADDRINUSE') return fail(name, `cannot bind: ${error}`, error === 'EACCES' ? 'ports below 1024 need CAP_NET_BIND_SERVICE (or use a higher port)' : `check the address ${where} exists on this host`);
  const holders = await portHolders(listener.port);
  if (holders.length === 0) {
    return fail(name, 'in use by a process that could not be named (bound but not listening, or another user\'s)', `find it with: ss -tlnp 'sport = :${listener.port}'`);
  }
  const ours = holders.filter((h) => instance !== null && h.instance === instance);
  if (ours.length > 0) return pass(name, `held by this instance (${ours.map((h) => `${h.tier} PID ${h.pid}`).join(', ')})`);
  const who = holders.map((h) => (h.instance ? `PID ${h.pid} (${h.tier} of another tripod instance ${h.instance})` : `PID ${h.pid} (${h.name}${h.cmd ? `: ${h.cmd.slice(0, 80)}` : ''})`)).join(', ');
  return fail(name, `in use by ${who}`, `stop PID ${holders[0]!.pid}, or listen elsewhere (--listen HOST:PORT)`);
}
