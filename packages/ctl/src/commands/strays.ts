// tripod strays [--kill]: processes of this instance that hold no lock and whose parent holds none either.
import { scanInstance, withoutKept } from '@tripod/core';
import type { CtlCommand } from '../command.js';
import { JSON_OPTION } from '../command.js';
import { ctlContext, instanceOf } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { lockHolders } from '../instance/holders.js';
import { out, printJson, say, table } from '../output.js';
import { findStrays } from '../strays/classify.js';
import { killStray, type StrayKill } from '../strays/kill.js';

export const straysCommand: CtlCommand = {
  command: 'strays',
  describe: 'list processes of this instance that no lock holder accounts for; --kill stops them (identity verified before every signal)',
  builder: (y) =>
    y.options({
      kill: { type: 'boolean', default: false, describe: 'SIGTERM each stray, SIGKILL (its group when it leads one) after --grace' },
      grace: { type: 'number', default: 2, describe: 'seconds between SIGTERM and SIGKILL' },
      ...JSON_OPTION,
    }),
  async run(argv) {
    const ctl = ctlContext(argv);
    const instance = instanceOf(ctl);
    const strays = instance === null ? [] : findStrays(withoutKept(scanInstance(instance)), lockHolders(ctl.paths));
    const killed: StrayKill[] = [];
    if (argv.kill && instance !== null) {
      for (const p of strays) killed.push(await killStray(p, instance, Number(argv.grace) * 1000));
    }
    const failed = killed.filter((k) => k.outcome === 'survived' || k.outcome === 'not-ours');
    if (argv.json) printJson({ instance, strays, killed });
    else if (strays.length === 0) out('no strays');
    else {
      out(table([['PID', 'TIER', 'PPID', 'PGRP', 'STATE', ...(argv.kill ? ['OUTCOME'] : [])], ...strays.map((p) => [
        String(p.pid), p.tier, String(p.ppid), String(p.pgrp), p.state, ...(argv.kill ? [killed.find((k) => k.pid === p.pid)?.outcome ?? '-'] : []),
      ])]));
    }
    if (failed.length > 0) say(`could not kill: ${failed.map((k) => `PID ${k.pid} (${k.outcome})`).join(', ')}`);
    return failed.length > 0 ? CTL_EXIT.FAILURE : CTL_EXIT.OK;
  },
};
