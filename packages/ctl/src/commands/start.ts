// tripod start [--daemon]: run the cop in the foreground, or detach it and wait until it serves.
import { yargsConfigOptions } from '@tripod/core';
import type { CtlCommand } from '../command.js';
import { JSON_OPTION } from '../command.js';
import { ctlContext } from '../context.js';
import { startDaemon } from '../start/daemon.js';
import { startForeground } from '../start/foreground.js';
import { prepareRuntimeDir } from '../start/runtime-dir.js';

export const startCommand: CtlCommand = {
  command: 'start',
  describe: 'start the instance: the cop in the foreground, or detached with --daemon',
  builder: (y) =>
    y
      .options(yargsConfigOptions())
      .options({
        daemon: { type: 'boolean', default: false, describe: 'detach (new session, cwd /, umask 022, output to <log-dir>/cop.out), wait until ready, print the cop\'s PID' },
        'wait-timeout': { type: 'number', default: 20, describe: 'with --daemon: seconds to wait for a serving server' },
        ...JSON_OPTION,
      })
      .usage('$0 start [--daemon] [options]\n\nEvery configuration flag is handed to tripod-cop; paths are made absolute first.'),
  async run(argv) {
    const ctl = ctlContext(argv);
    if (argv.daemon) return startDaemon(ctl, { waitTimeoutMs: Number(argv['wait-timeout']) * 1000, json: Boolean(argv.json) });
    prepareRuntimeDir(ctl);
    return startForeground(ctl);
  },
};
