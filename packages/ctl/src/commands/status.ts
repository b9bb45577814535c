// tripod status: one row per process, the listeners, and an LSB exit code.
import type { CtlCommand } from '../command.js';
import { JSON_OPTION } from '../command.js';
import { ctlContext } from '../context.js';
import { out, printJson } from '../output.js';
import { buildReport } from '../status/model.js';
import { renderStatus } from '../status/render.js';
import { gatherStatus } from '../status/sources.js';

export const statusCommand: CtlCommand = {
  command: 'status',
  describe: 'show every tier and listener; exit 0 running, 1 dead with lock files, 3 not running, 4 unknown, 150 degraded, 151 unsupervised',
  builder: (y) => y.options({ ...JSON_OPTION }),
  async run(argv) {
    const sources = await gatherStatus(ctlContext(argv));
    const report = buildReport(sources);
    if (argv.json) printJson({ ...report, managerStatus: sources.manager.status, copStatus: sources.cop });
    else out(renderStatus(report));
    return report.exitCode;
  },
};
