// Where the campaign runs: a fresh temporary runtime directory or the given one (attached when a cop
// already holds its lock), the port, the cop's command line, a clean environment.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TripodError, findLockHolder, freePort, instanceIdFor, parseManagerStatus, readDocument, runtimePaths, tierArgv, withoutTripodEnv, type RuntimePaths } from '@tripod/core';
import type { ChaosOptions } from '../cli/options.js';

export interface Setup {
  readonly runtimeDir: string;
  /** The harness made the directory (and removes it at the end when nothing is left in it running). */
  readonly created: boolean;
  readonly paths: RuntimePaths;
  readonly instance: string;
  readonly port: number;
  readonly attached: boolean;
  /** argv of the cop. */
  readonly copCommand: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** The caller's environment without TRIPOD_* (no config override leaks into the instance). */
export function cleanEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return withoutTripodEnv(env, ['NODE_TEST']);
}

/** The port a running instance serves on, from the manager's status.json. */
function portFromStatus(paths: RuntimePaths): number | null {
  return readDocument(paths.statusFile, parseManagerStatus)?.listeners[0]?.port ?? null;
}

/** Prepares the runtime directory, port and cop command. */
export async function prepare(options: ChaosOptions): Promise<Setup> {
  let runtimeDir = options.runtimeDir;
  let created = false;
  if (runtimeDir === null) {
    runtimeDir = mkdtempSync(join(tmpdir(), 'tripod-chaos-'));
    created = true;
  } else if (!existsSync(runtimeDir)) {
    mkdirSync(runtimeDir, { recursive: true, mode: 0o755 });
    created = true;
  }
  const paths = runtimePaths(runtimeDir);
  const attached = findLockHolder(paths.lockFile('cop')) !== null;
  let port = options.port;
  if (port === null && attached) {
    port = portFromStatus(paths);
    if (port === null) throw new TripodError('ERR_CONFIG_INVALID', `a cop runs in ${runtimeDir} but its port is unknown (no status.json listener): pass --port`);
  }
  port ??= await freePort(options.host);
  const listen = options.host.includes(':') ? `[${options.host}]:${port}` : `${options.host}:${port}`;
  const copCommand = [
    process.execPath, ...tierArgv('cop'), '--runtime-dir', runtimeDir, '--listen', listen,
    ...(options.app !== null ? ['--app', options.app] : []),
    ...(options.servers > 1 ? ['--servers', String(options.servers)] : []),
    ...(options.exec !== null ? ['--exec', JSON.stringify(options.exec), '--exec-cwd', options.execCwd] : []),
    ...options.copArgs,
  ];
  return { runtimeDir, created, paths, instance: instanceIdFor(runtimeDir), port, attached, copCommand, env: cleanEnv() };
}
