// The cop's command line: one option table, parsed by yargs. Loading yargs (its help layout, locale
// strings, terminal-width code) costs the cop ~4 MiB of RSS for as long as it runs (docs/memory.md),
// and every launcher starts the cop with plain flags. So a line that is only known flags with their
// values is read by yargs-parser, the parser yargs itself runs, with the options and the
// configuration yargs hands it: the same argv yargs returns. Anything else (--help, an unknown
// option, a word that is no option, a parse error) goes to yargs, which prints and exits as always.
import parser from 'yargs-parser';
import { yargsConfigOptions } from '@tripod/core/config/cli';

type OptionType = 'string' | 'number' | 'array' | 'boolean';
interface CopOption {
  readonly type: OptionType;
  readonly describe: string;
  readonly hidden?: boolean;
  readonly default?: unknown;
}

/** Every option tripod-cop takes: the config flags, `--config`, the internal `--config-json`, one test switch. */
export const COP_OPTIONS: Readonly<Record<string, CopOption>> = {
  ...yargsConfigOptions(),
  'unsafe-drop-sockets': { type: 'boolean', default: false, hidden: true, describe: 'test only: break invariant 2 on purpose' },
};

// `tripod-cop [options] -- PROGRAM ARGS…`: everything after `--` is exec mode's argv, word for word:
// yargs would otherwise turn a word that looks like a number into one (`0x10` → 16, `007` → 7).
const PARSER_CONFIGURATION = { 'populate--': true, 'parse-positional-numbers': false } as const;
// The option yargs adds itself (`.version(false)` drops the other one).
const HELP = 'help';

/** The arguments as yargs would return them (less `$0`), or null when only yargs can answer for them. */
export function parsePlainArgs(args: readonly string[]): Record<string, unknown> | null {
  const byType: Record<OptionType, string[]> = { string: [], number: [], array: [], boolean: [HELP] };
  const defaults: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(COP_OPTIONS)) {
    byType[option.type].push(key);
    if (option.default !== undefined) defaults[key] = option.default;
  }
  // The options and configuration yargs passes to yargs-parser (its parse step in yargs-factory).
  const parsed = parser.detailed([...args], {
    ...byType,
    default: defaults,
    configuration: PARSER_CONFIGURATION,
  });
  if (parsed.error) return null;
  const argv = parsed.argv as Record<string, unknown> & { _: unknown[] };
  if (argv._.length > 0 || HELP in argv) return null;
  const known = new Set(['_', '--']);
  for (const key of Object.keys(COP_OPTIONS)) {
    known.add(key);
    for (const alias of parsed.aliases[key] ?? []) known.add(alias);
  }
  if (Object.keys(argv).some((key) => !known.has(key))) return null;
  return argv;
}

/** yargs set up for the cop: usage, --help, strict checking of unknown options, its messages and exit codes. */
export async function copYargs(args: readonly string[]) {
  const { default: yargs } = await import('yargs');
  return yargs([...args])
    .scriptName('tripod-cop')
    .usage('$0 [options]\n\nOwns the listening sockets and watches the manager and the server; runs in the foreground.')
    .options(COP_OPTIONS)
    .version(false)
    .strict()
    .parserConfiguration(PARSER_CONFIGURATION);
}

/** The cop's argv: the plain reading when it can vouch for it, else yargs. */
export async function parseCopArgs(args: readonly string[]): Promise<Record<string, unknown>> {
  return parsePlainArgs(args) ?? ((await copYargs(args)).parse() as Promise<Record<string, unknown>>);
}
