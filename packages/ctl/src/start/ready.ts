// When is a freshly started instance ready: the cop we started holds cop.lock, and a server serves
// (its heartbeat answers through the first listener, or status.json names a serving server holding server.lock).
import { findLockHolder, type Listener, type RuntimePaths } from '@tripod/core';
import { heartbeat } from '../instance/heartbeat.js';
import { readManagerStatus } from '../instance/manager-status.js';

/** True once the instance run by `copPid` serves. */
export async function isReady(paths: RuntimePaths, copPid: number, listener: Listener | undefined): Promise<boolean> {
  if (findLockHolder(paths.lockFile('cop')) !== copPid) return false;
  const server = findLockHolder(paths.lockFile('server'));
  if (server === null) return false;
  if (listener && (await heartbeat(listener, 1000, paths.dir, server)).ok) return true;
  const status = readManagerStatus(paths);
  return (status?.servers ?? []).some((s) => s.role === 'serving' && s.pid === server);
}
