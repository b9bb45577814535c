// Writing the report files, and keeping the tiers' logs next to them.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import type { ChaosReport } from './model.js';

/** Tier logs larger than this are not copied (they stay in the runtime directory). */
export const MAX_LOG_COPY_BYTES = 50 * 1024 * 1024;

/** Writes report.json and report.html into `dir`; returns their paths. */
export function writeReport(dir: string, report: ChaosReport): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  writeFileSync(json, JSON.stringify(report) + '\n');
  writeFileSync(html, renderHtml(report));
  return { json, html };
}

/** Copies the instance's log files into `dir/logs`. */
export function copyLogs(logDir: string, dir: string): string[] {
  if (!existsSync(logDir)) return [];
  const target = join(dir, 'logs');
  mkdirSync(target, { recursive: true });
  const copied: string[] = [];
  for (const name of readdirSync(logDir)) {
    const from = join(logDir, name);
    try {
      if (!statSync(from).isFile() || statSync(from).size > MAX_LOG_COPY_BYTES) continue;
      copyFileSync(from, join(target, name));
      copied.push(name);
    } catch {
      // a log rotated away meanwhile: not worth failing the report
    }
  }
  return copied;
}
