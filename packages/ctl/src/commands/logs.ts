// tripod logs [-f] [--tier T] [-n N]: the JSON-lines logs, readable, merged by time; -f follows across logrotate.
import { TIERS, type Tier } from '@tripod/core';
import type { CtlCommand } from '../command.js';
import { interrupted } from '../command.js';
import { ctlContext } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { FOLLOW_POLL_MS, Follower } from '../logs/follow.js';
import { formatLogLine, mergeByTime } from '../logs/format.js';
import { tailLines } from '../logs/tail.js';
import { out } from '../output.js';

export const logsCommand: CtlCommand = {
  command: 'logs',
  describe: 'print the tiers\' logs readably (merged by time); -f follows them, across a rename and reopen',
  builder: (y) =>
    y.options({
      follow: { alias: 'f', type: 'boolean', default: false, describe: 'keep printing new lines until interrupted' },
      tier: { type: 'string', choices: TIERS, describe: 'only this tier\'s log' },
      lines: { alias: 'n', type: 'number', default: 20, describe: 'how many of the last lines to print first' },
      json: { type: 'boolean', default: false, describe: 'print the raw JSON lines' },
      'log-dir': { type: 'string', describe: 'the log directory, when it is not <runtime-dir>/logs (env TRIPOD_LOG_DIR)' },
    }),
  async run(argv) {
    const ctl = ctlContext(argv);
    const tiers: readonly Tier[] = typeof argv.tier === 'string' ? [argv.tier as Tier] : TIERS;
    const n = Math.max(0, Number(argv.lines));
    const show = (raw: string, tier: string) => out(argv.json ? raw : formatLogLine(raw, tier).text);
    const tails = tiers.map((tier) => ({ tier, ...tailLines(ctl.paths.logFile(tier), n) }));
    const merged = mergeByTime(tails.map((t) => t.lines.map((l) => ({ ...formatLogLine(l, t.tier), tier: t.tier }))));
    for (const rec of merged.slice(-n)) show(rec.raw, (rec as { tier?: string }).tier ?? '?');
    if (!argv.follow) return CTL_EXIT.OK;
    const followers = tails.map((t) => ({ tier: t.tier, follower: new Follower(ctl.paths.logFile(t.tier), t.size) }));
    const timer = setInterval(() => {
      for (const { tier, follower } of followers) for (const line of follower.poll()) if (line) show(line, tier);
    }, FOLLOW_POLL_MS);
    await interrupted();
    clearInterval(timer);
    for (const { follower } of followers) follower.close();
    return CTL_EXIT.OK;
  },
};
