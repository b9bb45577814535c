// One scrape: the manager's status (control socket, else status.json), cop-status.json and the lock
// holders, rendered by core's renderMetrics.
import { renderMetrics } from '@tripod/core';
import type { Ctl } from '../context.js';
import { lockHolders } from '../instance/holders.js';
import { managerView, readCopStatus } from '../instance/manager-status.js';

/** The instance's metrics as Prometheus text, gathered now. */
export async function collectMetrics(ctl: Ctl): Promise<string> {
  const holders = lockHolders(ctl.paths);
  const manager = holders.manager !== null ? await managerView(ctl.paths) : { status: null, live: false };
  return renderMetrics({ manager: manager.status, managerLive: manager.live, cop: readCopStatus(ctl.paths), holders, now: Date.now() });
}
