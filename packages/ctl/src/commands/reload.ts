// tripod reload: SIGHUP to the cop (reopen logs, reload the configuration), then report what it applied.
import type { CtlCommand } from '../command.js';
import { JSON_OPTION } from '../command.js';
import { ctlContext, instanceOf } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { signalCop } from '../instance/cop-signal.js';
import { readCopStatus } from '../instance/manager-status.js';
import { out, printJson, say } from '../output.js';
import { waitUntil } from '@tripod/core';

export const reloadCommand: CtlCommand = {
  command: 'reload',
  describe: 'reload the configuration and reopen the logs (SIGHUP to the cop); print what was applied and what needs a restart',
  builder: (y) => y.options({ timeout: { type: 'number', default: 10, describe: 'seconds to wait for the cop to report the reload' }, ...JSON_OPTION }),
  async run(argv) {
    const ctl = ctlContext(argv);
    const before = readCopStatus(ctl.paths)?.lastReload?.at ?? null;
    const timeoutMs = Number(argv.timeout) * 1000;
    const sent = await signalCop(ctl.paths, instanceOf(ctl), 'SIGHUP', 5000);
    if (!sent.sent) {
      say(`cannot reload: ${sent.why}`);
      return sent.notRunning ? CTL_EXIT.NOT_RUNNING : CTL_EXIT.FAILURE;
    }
    const report = await waitUntil(() => {
      const last = readCopStatus(ctl.paths)?.lastReload;
      return last && last.at !== before ? last : null;
    }, { timeoutMs, intervalMs: 100 });
    if (report === null) {
      say(`cop did not report the reload within ${argv.timeout} s (SIGHUP sent to cop PID ${sent.pid}; ${ctl.paths.copStatusFile} lastReload unchanged)`);
      return CTL_EXIT.FAILURE;
    }
    if (argv.json) printJson(report);
    else {
      out(`applied: ${report.applied.length ? report.applied.join(', ') : 'nothing changed'}`);
      out(`needs restart: ${report.needsRestart.length ? report.needsRestart.join(', ') : 'nothing'}`);
      if (report.error) out(`error: ${report.error}`);
    }
    return report.error ? CTL_EXIT.FAILURE : CTL_EXIT.OK;
  },
};
