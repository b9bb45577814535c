// Exec-mode instances for the end-to-end tests: a cop whose server tier keeps a foreign program.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { askLine, keeperSocketPath, probeKeeper, readStat, waitFor } from '@tripod/core';
import { formatKeeperLine, KEEPER_VERSION, parseKeeperAnswer, type KeeperAnswer } from '@tripod/core/wire/keeper';
import { FIXTURES, startInstance, type Instance, type StartOptions } from './instance.js';

export const SD_SERVER = join(FIXTURES, 'exec/sd-server.mjs');

/** Starts an instance whose server runs `program` (argv after `--`); resolves once the keeper's program is proven to answer. */
export async function startExec(program: readonly string[], options: StartOptions & { ready?: boolean } = {}): Promise<Instance> {
  const inst = await startInstance({ ...options, args: [...(options.args ?? []), '--', ...program], waitReady: false });
  if (options.ready !== false) {
    try {
      await waitKeeperServing(inst);
    } catch (err) {
      await inst.cleanup();
      throw new Error(`${(err as Error).message}\n--- cop output ---\n${inst.output()}`);
    }
  }
  return inst;
}

/** The keeper holding server.lock and the program PID its lock file names. */
export function keeperAndProgram(inst: Instance): { keeper: number; program: number } | null {
  const keeper = inst.holder('server');
  if (keeper === null) return null;
  const program = Number(readFileSync(inst.paths.lockFile('server'), 'utf8').trim());
  return Number.isInteger(program) && program > 0 ? { keeper, program } : null;
}

/** Waits until a keeper holds server.lock and says its program answers; resolves with both PIDs. */
export async function waitKeeperServing(inst: Instance, not: ReadonlySet<number> = new Set(), timeoutMs = 15_000): Promise<{ keeper: number; program: number }> {
  let last = 'server.lock free';
  return waitFor('a keeper holding server.lock whose program answers', async () => {
    const both = keeperAndProgram(inst);
    if (both === null || not.has(both.keeper)) return null;
    const probe = await probeKeeper(inst.dir, both.keeper, 1500);
    last = probe.ok ? 'ok' : probe.error;
    return probe.ok ? both : null;
  }, timeoutMs, 50).catch((err: Error) => {
    throw new Error(`${err.message} (last: ${last})\n--- cop output ---\n${inst.output().split('\n').filter((l) => !l.includes(' debug ')).slice(-40).join('\n')}`);
  });
}

/** Keeper `keeper`'s whole answer (ok, how it knew, why not), or the error when it did not answer in time. */
export async function askKeeper(inst: Instance, keeper: number, timeoutMs = 1000): Promise<KeeperAnswer | string> {
  const answer = await askLine(keeperSocketPath(inst.dir, keeper), { request: formatKeeperLine({ version: KEEPER_VERSION, timeoutMs }), timeoutMs });
  if (!answer.ok) return answer.kind;
  const parsed = parseKeeperAnswer(answer.line);
  return parsed.ok ? parsed.value : parsed.error.message;
}

/** The process group of `pid`, or null when it is gone. */
export function groupOf(pid: number): number | null {
  return readStat(pid)?.pgrp ?? null;
}

/** Lines of the server tier's JSON log whose `msg`/event equals `event`. */
export function serverLogEvents(inst: Instance, event: string): Record<string, unknown>[] {
  return tierLogEvents(inst, 'server', event);
}

/** Lines of a tier's JSON log (`<log-dir>/<tier>.log`) whose `msg`/event equals `event`. */
export function tierLogEvents(inst: Instance, tier: 'cop' | 'manager' | 'server', event: string): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(inst.paths.logFile(tier), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return {}; } })
    .filter((r) => r.event === event || r.message === event || r.msg === event);
}

/** When a log record was written (ms since the epoch). */
export const loggedAt = (record: Record<string, unknown> | undefined): number => Date.parse(String(record?.timestamp));
