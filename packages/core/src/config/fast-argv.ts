// A plain command line read without yargs: yargs costs a supervision tier ~14 MiB of RSS for its
// whole life, for a parse done once. Only the plain forms are read here (`--flag value`,
// `--flag=value`, a bare boolean `--flag`, `--listen` repeated); anything else (help, a short or
// negated flag, a positional, a value that is not a plain number, an unknown flag) returns null and
// the caller asks yargs, so its behaviour, messages and help stay exactly as they were.
import { parseArgs } from 'node:util';
import { yargsConfigOptions } from './cli.js';

type Spec = { type: 'string' | 'number' | 'array' | 'boolean' };

const NUMBER = /^-?\d+(\.\d+)?$/;

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * The arguments after `node script` as yargs would give them (each flag under its own name and its
 * camelCase name), or null when the line needs yargs. `extra` adds a tier's own options.
 */
export function fastConfigArgv(args: readonly string[], extra: Readonly<Record<string, Spec>> = {}): Record<string, unknown> | null {
  const specs: Record<string, Spec> = { ...yargsConfigOptions(), ...extra };
  if (!plainValues(args, specs)) return null;
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [flag, spec] of Object.entries(specs)) options[flag] = { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.type === 'array' ? { multiple: true } : {}) };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as Record<string, unknown>;
  } catch {
    return null;
  }
  const argv: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(values)) {
    let v = value;
    if (specs[flag]!.type === 'number') {
      if (typeof v !== 'string' || !NUMBER.test(v)) return null;
      v = Number(v);
    }
    argv[flag] = v;
    argv[camel(flag)] = v;
  }
  return argv;
}

/** True when every token is either a `--flag` of the plain kind or the value right after a flag that takes one. */
function plainValues(args: readonly string[], specs: Readonly<Record<string, Spec>>): boolean {
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (!token.startsWith('--') || token === '--' || token.startsWith('--no-') || token === '--help' || token === '--version') return false;
    if (token.includes('=')) continue;
    const spec = specs[token.slice(2)];
    if (spec === undefined) return false;
    if (spec.type === 'boolean') continue;
    const value = args[i + 1];
    // `--listen a b` (yargs reads both into the array) and a value that looks like a flag: yargs decides.
    if (value === undefined || value.startsWith('-')) return false;
    const next = args[i + 2];
    if (spec.type === 'array' && next !== undefined && !next.startsWith('--')) return false;
    i++;
  }
  return true;
}
