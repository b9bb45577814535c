// One JSON log line as people read it: `2026-11-21 16:12:16.687 cop[7607] info manager.spawn target=7619`.

export interface LogRecord {
  /** Milliseconds since the epoch, or NaN when the line has no timestamp. */
  readonly time: number;
  readonly text: string;
  readonly raw: string;
}

const SKIP = new Set(['level', 'message', 'timestamp', 'tier', 'pid']);

function value(v: unknown): string {
  return typeof v === 'string' ? (/\s/.test(v) || v === '' ? JSON.stringify(v) : v) : JSON.stringify(v);
}

/** Parses and formats one line; a line that is not a JSON object is shown as it is. */
export function formatLogLine(raw: string, fallbackTier = '?'): LogRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { time: NaN, text: raw, raw };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { time: NaN, text: raw, raw };
  const rec = parsed as Record<string, unknown>;
  const stamp = typeof rec.timestamp === 'string' ? rec.timestamp : '';
  const time = stamp ? Date.parse(stamp) : NaN;
  const when = Number.isNaN(time) ? stamp || '-' : new Date(time).toISOString().replace('T', ' ').replace('Z', '');
  const who = `${String(rec.tier ?? fallbackTier)}[${String(rec.pid ?? '?')}]`;
  const fields = Object.entries(rec).filter(([k]) => !SKIP.has(k)).map(([k, v]) => `${k}=${value(v)}`);
  const text = [when, who, String(rec.level ?? '-'), String(rec.message ?? ''), ...fields].join(' ');
  return { time, text, raw };
}

/** Merges per-file records by time (stable; lines without a time keep their place after the previous one). */
export function mergeByTime(files: readonly (readonly LogRecord[])[]): LogRecord[] {
  const tagged = files.flatMap((records, f) => {
    let last = -Infinity;
    return records.map((r, i) => {
      if (!Number.isNaN(r.time)) last = r.time;
      return { r, key: last, f, i };
    });
  });
  tagged.sort((a, b) => a.key - b.key || a.f - b.f || a.i - b.i);
  return tagged.map((t) => t.r);
}
