// SIGHUP: reload the configuration from its sources, apply what can change live, hand the result to
// the manager, and report which changes need a restart (in cop-status.json and the log).
import type { TripodConfig } from '@tripod/core/config/config';
import { diffConfig } from '@tripod/core/config/diff';
import { controlCall } from '@tripod/core/control/client';
import type { Log } from '@tripod/core/log/logger';
import type { RuntimePaths } from '@tripod/core/paths';
import { parseReloadReply } from '@tripod/core/wire/control';
import type { ReloadReport } from './cop-status.js';
import type { Cop } from './cop.js';

export async function reloadCop(cop: Cop, loadConfig: () => TripodConfig, paths: RuntimePaths, log: Log): Promise<ReloadReport> {
  let report: ReloadReport;
  try {
    const change = diffConfig(cop.config, loadConfig());
    cop.applyConfig(change.next);
    log.setLevel(change.next.logLevel);
    let error: string | null = null;
    try {
      await controlCall(paths.controlSocket, { cmd: 'reload', args: { config: change.next } }, change.next.probeTimeoutMs * 5, parseReloadReply);
    } catch (err) {
      error = `manager did not take the new configuration: ${(err as Error).message}`;
    }
    report = { at: Date.now(), applied: change.applied, needsRestart: change.needsRestart, error };
  } catch (err) {
    report = { at: Date.now(), applied: [], needsRestart: [], error: (err as Error).message };
  }
  log[report.error ? 'error' : 'info']('config.reload', { ...report });
  cop.status.lastReload = report;
  cop.writeStatus();
  return report;
}
