// Running tripod-chaos in end-to-end tests: a fresh temp directory for its runtime directory and its
// report, captured output, a deadline (SIGTERM ends the campaign early; SIGKILL after), and cleanup of
// anything the instance left behind, found by its TRIPOD_INSTANCE environment.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { instanceIdFor, scanInstance } from '@tripod/core';
import type { ChaosReport } from '@tripod/chaos';
import { BIN, cleanEnv, tempDir } from '../helpers/instance.js';

export interface ChaosRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outDir: string;
  /** report.json, or null when none was written. */
  readonly report: ChaosReport | null;
  readonly html: string | null;
  /** Output for assertion messages. */
  readonly transcript: string;
}

/** Runs `tripod-chaos ...args --runtime-dir <fresh> --out <fresh>` to completion within `timeoutMs`. */
export async function runChaos(args: readonly string[], timeoutMs: number): Promise<ChaosRun> {
  const dir = tempDir('tripod-chaos-e2e-');
  const runtimeDir = join(dir, 'rt');
  const outDir = join(dir, 'out');
  mkdirSync(runtimeDir);
  const instance = instanceIdFor(runtimeDir);
  const child = spawn(process.execPath, [BIN.chaos, ...args, '--runtime-dir', runtimeDir, '--out', outDir], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const term = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 30_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])));
  clearTimeout(term);
  clearTimeout(kill);
  for (const p of scanInstance(instance)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const jsonPath = join(outDir, 'report.json');
  const htmlPath = join(outDir, 'report.html');
  const report = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as ChaosReport) : null;
  const html = existsSync(htmlPath) ? readFileSync(htmlPath, 'utf8') : null;
  rmSync(dir, { recursive: true, force: true });
  const transcript = `--- exit ${code ?? signal} ---\n${stdout}\n--- stderr ---\n${stderr}`;
  return { code, signal, stdout, stderr, outDir, report, html, transcript };
}
