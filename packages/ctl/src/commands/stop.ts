// tripod stop: graceful stop of the whole instance, SIGKILL of the remains after the timeout.
import type { CtlCommand } from '../command.js';
import { ctlContext } from '../context.js';
import { stopInstance } from '../stop/stop-instance.js';

export const stopCommand: CtlCommand = {
  command: 'stop',
  describe: 'stop the instance gracefully; exit 0 when nothing of it is left (also when it was not running)',
  builder: (y) => y.options({ timeout: { type: 'number', default: 30, describe: 'seconds to wait before SIGKILLing what is left' } }),
  run: (argv) => stopInstance(ctlContext(argv), Number(argv.timeout) * 1000),
};
