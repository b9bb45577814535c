// tripod restart: graceful server restart (new server first, then the old one drains).
import { controlRequest, findSlotHolders, isTripodError, waitUntil } from '@tripod/core';
import type { CtlCommand } from '../command.js';
import { JSON_OPTION } from '../command.js';
import { ctlContext, instanceOf, knownListeners } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { signalCop } from '../instance/cop-signal.js';
import { heartbeat } from '../instance/heartbeat.js';
import { COMMAND_TIMEOUT_MS } from '../instance/manager-status.js';
import { out, printJson, say } from '../output.js';

export const restartCommand: CtlCommand = {
  command: 'restart',
  describe: 'restart the server gracefully (control server-restart, or SIGUSR1 to the cop when the control socket cannot be reached)',
  builder: (y) =>
    y.options({
      wait: { type: 'boolean', default: true, describe: 'wait until a new server serves (--no-wait: only ask)' },
      'wait-timeout': { type: 'number', default: 20, describe: 'seconds to wait for the new server' },
      ...JSON_OPTION,
    }),
  async run(argv) {
    const ctl = ctlContext(argv);
    const { paths } = ctl;
    // A pool restarts one slot after another: done when every slot lock is held by a new server.
    const beforeAll = findSlotHolders(paths.dir).map((h) => h.pid);
    const before = beforeAll[0] ?? null;
    let via: string;
    let confirmed = true;
    try {
      await controlRequest(paths.controlSocket, { cmd: 'server-restart' }, COMMAND_TIMEOUT_MS);
      via = 'control socket';
    } catch (err) {
      if (isTripodError(err, 'ERR_CONTROL_TIMEOUT')) {
        // The request may have arrived: asking again through the cop could restart twice.
        via = `control socket, unconfirmed (${err.message})`;
        confirmed = false;
      } else {
        const sent = await signalCop(paths, instanceOf(ctl), 'SIGUSR1', 5000);
        if (!sent.sent) {
          say(`cannot restart: the manager cannot be reached (${(err as Error).message}) and ${sent.why}`);
          return sent.notRunning ? CTL_EXIT.NOT_RUNNING : CTL_EXIT.FAILURE;
        }
        via = `SIGUSR1 to cop PID ${sent.pid} (the manager cannot be reached: ${(err as Error).message})`;
      }
    }
    say(`graceful server restart requested via ${via}`);
    if (!argv.wait) return confirmed ? CTL_EXIT.OK : CTL_EXIT.FAILURE;
    const listener = knownListeners(ctl)[0];
    const after = await waitUntil(async () => {
      const holders = findSlotHolders(paths.dir).map((h) => h.pid);
      const holder = holders[0] ?? null;
      if (holder === null || holders.some((pid) => beforeAll.includes(pid))) return null;
      if (!listener) return holder;
      const beat = await heartbeat(listener, 1000, paths.dir, holder);
      return beat.ok && holders.includes(beat.pid) ? holder : null;
    }, { timeoutMs: Number(argv['wait-timeout']) * 1000, intervalMs: 150 });
    if (argv.json) printJson({ via, before, after });
    if (after === null) {
      say(`no new server was serving within ${argv['wait-timeout']} s (see tripod status)`);
      return CTL_EXIT.FAILURE;
    }
    if (!argv.json) out(`server PID ${before ?? '-'} -> ${after}`);
    return CTL_EXIT.OK;
  },
};
