// Pure parsing of the bench's command line into a frozen options object; bad values are named.

export const PHASES = Object.freeze(['boot', 'recovery', 'load', 'throughput', 'idle', 'overload', 'exec', 'pool', 'pinned', 'rolling']);

const FULL = Object.freeze({ repeat: 5, faultsPerWindow: 2, rounds: 10, roundMs: 1000, idleMs: 10_000, connections: 8, loadWorkers: 4, overloadMs: 10_000 });
const QUICK = Object.freeze({ repeat: 2, faultsPerWindow: 1, rounds: 3, roundMs: 500, idleMs: 3000, connections: 8, loadWorkers: 4, overloadMs: 5000 });

type NumericField = 'repeat' | 'faultsPerWindow' | 'rounds' | 'roundMs' | 'idleMs' | 'connections' | 'loadWorkers' | 'overloadMs';

export interface BenchOptions extends Record<NumericField, number> {
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly out: string;
  readonly copArgs: readonly string[];
  readonly help: boolean;
}

const NUMERIC: Record<string, readonly [NumericField, number, number]> = {
  '--repeat': ['repeat', 1, 100],
  '--faults-per-window': ['faultsPerWindow', 1, 20],
  '--rounds': ['rounds', 1, 50],
  '--round-ms': ['roundMs', 200, 60_000],
  '--idle-ms': ['idleMs', 1000, 120_000],
  '--connections': ['connections', 1, 256],
  '--load-workers': ['loadWorkers', 1, 64],
  '--overload-ms': ['overloadMs', 1000, 120_000],
};

export const USAGE = `usage: node npm run bench -- [--quick] [--repeat N] [--faults-per-window N] [--rounds N]
       [--round-ms MS] [--idle-ms MS] [--connections N] [--load-workers N] [--overload-ms MS] [--only PHASE,…] [--out DIR]
       [--cop-arg=--FLAG=VALUE …] (extra tripod-cop flags, for experiments: the figures then leave the defaults)
phases: ${PHASES.join(', ')} (default: all). --quick: about 3 minutes instead of about 6 (overload alone: 1.5 and 2.5).`;

/** A bad command line; `code` is ERR_BENCH_ARGS. */
export class BenchArgsError extends Error {
  readonly code = 'ERR_BENCH_ARGS';
}

function fail(message: string): BenchArgsError {
  return new BenchArgsError(message);
}

/** Options from argv (without node and the script); throws ERR_BENCH_ARGS naming the bad flag and value. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } & { copArgs: string[] } = { ...(quick ? QUICK : FULL), quick, only: [...PHASES], out: 'reports/bench', copArgs: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--quick') continue;
    if (flag === '--help' || flag === '-h') {
      options.help = true;
      continue;
    }
    const value = argv[i + 1];
    const numeric = NUMERIC[flag];
    if (numeric) {
      const [field, min, maxValue] = numeric;
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < min || n > maxValue) throw fail(`${flag}: ${JSON.stringify(value)} must be an integer from ${min} to ${maxValue}`);
      options[field] = n;
      i++;
    } else if (flag === '--only') {
      const phases = String(value ?? '').split(',').filter(Boolean);
      const unknown = phases.filter((p) => !PHASES.includes(p));
      if (phases.length === 0 || unknown.length > 0) throw fail(`--only: ${JSON.stringify(value)} must list phases from ${PHASES.join(', ')}`);
      options.only = phases;
      i++;
    } else if (flag.startsWith('--cop-arg=')) {
      options.copArgs.push(flag.slice('--cop-arg='.length));
    } else if (flag === '--out') {
      if (!value) throw fail('--out: needs a directory');
      options.out = value;
      i++;
    } else throw fail(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
  }
  return Object.freeze({ ...options, copArgs: Object.freeze(options.copArgs) });
}
