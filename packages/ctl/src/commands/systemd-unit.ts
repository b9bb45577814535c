// tripod systemd-unit: prints tripod.service (or, with --socket, tripod.socket) for the install it runs from.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseListen, tierBinary } from '@tripod/core';
import type { CtlCommand } from '../command.js';
import { CTL_EXIT } from '../exit-codes.js';
import { out, say } from '../output.js';
import { renderService, renderSocket, type UnitPaths } from '../systemd-unit/render.js';

/** The node binary and the entry scripts of this install (symbolic links resolved). */
export function installPaths(): UnitPaths {
  return {
    node: realpathSync(process.execPath),
    copBin: realpathSync(tierBinary('cop')),
    ctlBin: realpathSync(fileURLToPath(new URL('../../../bin/tripod.js', import.meta.url))),
  };
}

export const systemdUnitCommand: CtlCommand = {
  command: 'systemd-unit',
  describe: 'print tripod.service (--socket: tripod.socket) for this install: node, paths, listen address, user',
  builder: (y) =>
    y.options({
      socket: { type: 'boolean', default: false, describe: 'print tripod.socket instead of tripod.service' },
      listen: { type: 'string', default: '127.0.0.1:8080', describe: 'HOST:PORT of --listen and ListenStream=' },
      user: { type: 'string', default: 'tripod', describe: 'User= and Group= the instance runs as' },
    }),
  async run(argv) {
    const listen = String(argv.listen);
    try {
      parseListen(listen);
    } catch (err) {
      say(`invalid --listen: ${(err as Error).message}`);
      return CTL_EXIT.USAGE;
    }
    out((argv.socket ? renderSocket({ listen }) : renderService({ ...installPaths(), listen, user: String(argv.user) })).trimEnd());
    return CTL_EXIT.OK;
  },
};
