// tripod server start|stop|restart|drain: the manager's server commands over the control socket.
import { controlCall, findLockHolder, parseAcceptedReply, type ControlCommand } from '@tripod/core';
import type { CtlCommand } from '../command.js';
import { JSON_OPTION } from '../command.js';
import { ctlContext } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { COMMAND_TIMEOUT_MS } from '../instance/manager-status.js';
import { out, printJson, say } from '../output.js';

const ACTIONS = ['start', 'stop', 'restart', 'drain'] as const;
const MEANING: Record<(typeof ACTIONS)[number], string> = {
  start: 'start a server (after stop or drain, or to end a give-up)',
  stop: 'stop the server now (SIGTERM, SIGKILL after the kill grace); the manager keeps running',
  restart: 'graceful restart: a new server first, then the old one drains',
  drain: 'stop the server gracefully: finish open requests, then exit',
};

export const serverCommand: CtlCommand = {
  command: 'server <action>',
  describe: 'control the server through the manager: start, stop, restart, drain',
  builder: (y) =>
    y
      .positional('action', { choices: ACTIONS, describe: Object.entries(MEANING).map(([a, m]) => `${a}: ${m}`).join('; ') })
      .options({ ...JSON_OPTION }),
  async run(argv) {
    const ctl = ctlContext(argv);
    const action = argv.action as (typeof ACTIONS)[number];
    const cmd = `server-${action}` as ControlCommand;
    try {
      const result = await controlCall(ctl.paths.controlSocket, { cmd }, COMMAND_TIMEOUT_MS, parseAcceptedReply);
      if (argv.json) printJson(result);
      else out(`manager accepted ${cmd}`);
      return CTL_EXIT.OK;
    } catch (err) {
      const holder = findLockHolder(ctl.paths.lockFile('manager'));
      if (holder === null) {
        say(`not running: no manager holds ${ctl.paths.lockFile('manager')}`);
        return CTL_EXIT.NOT_RUNNING;
      }
      say(`manager PID ${holder} did not take ${cmd}: ${(err as Error).message}`);
      return CTL_EXIT.FAILURE;
    }
  },
};
