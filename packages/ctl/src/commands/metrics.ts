// tripod metrics [--listen HOST:PORT]: Prometheus text once, or a small exporter run by ctl itself.
import { parseListen } from '@tripod/core';
import type { CtlCommand } from '../command.js';
import { interrupted } from '../command.js';
import { ctlContext } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { collectMetrics } from '../metrics/collect.js';
import { serveMetrics } from '../metrics/exporter.js';
import { out, say } from '../output.js';

export const metricsCommand: CtlCommand = {
  command: 'metrics',
  describe: 'print the instance\'s metrics in Prometheus text format, or serve them over HTTP with --listen',
  builder: (y) =>
    y.options({
      listen: { type: 'string', describe: 'HOST:PORT for an exporter serving GET /metrics (run by this ctl process, until SIGINT/SIGTERM)' },
    }),
  async run(argv) {
    const ctl = ctlContext({ ...argv, listen: undefined });
    if (typeof argv.listen !== 'string') {
      process.stdout.write(await collectMetrics(ctl));
      return CTL_EXIT.OK;
    }
    const where = parseListen(argv.listen, 'metrics --listen');
    const server = await serveMetrics(where, () => collectMetrics(ctl));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : where.port;
    say(`serving http://${where.host.includes(':') ? `[${where.host}]` : where.host}:${port}/metrics for ${ctl.config.runtimeDir} (SIGINT or SIGTERM stops)`);
    await interrupted();
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    return CTL_EXIT.OK;
  },
};
