// Pure reading of tripod's JSON-lines logs into a timeline: which decision happened how many ms after a fault.
import type { Verdicts } from './model.js';

/** Events from the text of JSON-lines logs: `{ at, key, line }`, key being `tier:message` (plus `:SIGNAL` for kill.signal). */
export interface LogEvent {
  readonly at: number;
  readonly key: string;
  readonly line: string;
}

export function parseLogEvents(text: string): LogEvent[] {
  const events: LogEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { timestamp?: string; message?: unknown; tier?: string; signal?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const at = Date.parse(entry.timestamp ?? '');
    if (!Number.isFinite(at) || typeof entry.message !== 'string') continue;
    const suffix = entry.message === 'kill.signal' && entry.signal ? `:${entry.signal}` : '';
    events.push({ at, key: `${entry.tier}:${entry.message}${suffix}`, line });
  }
  return events.sort((a, b) => a.at - b.at);
}

/** The first occurrence of each event key at or after `sinceMs` (wall clock), as ms offsets from it. */
export function firstOffsets(events: readonly LogEvent[], sinceMs: number, untilMs = Infinity): Record<string, number> {
  const offsets: Record<string, number> = {};
  for (const e of events) {
    if (e.at < sinceMs || e.at > untilMs || e.key in offsets) continue;
    offsets[e.key] = e.at - sinceMs;
  }
  return offsets;
}

/** Per event key, the list of offsets over many faults: `[{a: 1}, {a: 3, b: 2}]` → `{a: [1, 3], b: [2]}`. */
export function collectOffsets(list: readonly Readonly<Record<string, number>>[]): Record<string, number[]> {
  const byKey: Record<string, number[]> = {};
  for (const offsets of list) for (const [key, ms] of Object.entries(offsets)) (byKey[key] ??= []).push(ms);
  return byKey;
}

/** Heartbeat failures and kill decisions logged by the cop in [fromMs, toMs], by the tier they were about. */
export function copVerdicts(events: readonly LogEvent[], fromMs: number, toMs: number): Verdicts {
  const out: Verdicts = { managerHeartbeatFailures: 0, serverHeartbeatFailures: 0, managerKills: 0, serverKills: 0 };
  for (const e of events) {
    if (e.at < fromMs || e.at > toMs) continue;
    const tier = /manager/.test(e.line.replace(/"tier":"cop"/, '')) ? 'manager' : 'server';
    if (e.key === 'cop:heartbeat.fail') out[`${tier}HeartbeatFailures`]++;
    if (e.key === 'cop:kill.decide') out[`${tier}Kills`]++;
  }
  return out;
}
