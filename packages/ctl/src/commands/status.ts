// tripod status: one row per process, the listeners, and an LSB exit code.
import type { CtlCommand } from '../command.js';
import { JSON_OPTION } from '../command.js';
import { ctlContext } from '../context.js';
import { out, printJson } from '../output.js';
import { buildReport } from '../status/model.js';
import { renderStatus } from '../status/render.js';
import { gatherStatus } from '../status/sources.js';

const WAIT_POLL_MS = 200;

export const statusCommand: CtlCommand = {
  command: 'status',
  describe: 'show every tier and listener; exit 0 running, 1 dead with lock files, 3 not running, 4 unknown, 150 degraded, 151 unsupervised',
  builder: (y) => y.options({ wait: { type: 'number', default: 0, describe: 'seconds to wait for the instance to be running (exit 0) before reporting' }, ...JSON_OPTION }),
  async run(argv) {
    const ctl = ctlContext(argv);
    const deadline = Date.now() + Number(argv.wait) * 1000;
    let sources = await gatherStatus(ctl);
    let report = buildReport(sources);
    while (report.exitCode !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      sources = await gatherStatus(ctl);
      report = buildReport(sources);
    }
    if (argv.json) printJson({ ...report, managerStatus: sources.manager.status, copStatus: sources.cop });
    else out(renderStatus(report));
    return report.exitCode;
  },
};
