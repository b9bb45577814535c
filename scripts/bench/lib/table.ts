// Pure table formatting: aligned plain text for the terminal, GitHub markdown for the report.

/** A cell as text: numbers rounded to `digits`, null/undefined as a dash. */
/** What a table cell may hold. */
export type Cell = string | number | null | undefined;

export function cell(value: Cell, digits = 0): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return Number.isFinite(value) ? value.toFixed(digits) : String(value);
  return String(value);
}

function isNumeric(text: string): boolean {
  return /^[-+]?[\d.]+[a-z%×]*$/i.test(text);
}

/** An aligned plain-text table (numbers right-aligned, text left-aligned). */
export function textTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const all = [headers, ...rows].map((row) => row.map((c) => cell(c)));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) => row.map((c, i) => (isNumeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** A GitHub-flavoured markdown table; numeric columns (by the first data row) are right-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const texts = rows.map((row) => row.map((c) => cell(c).replace(/\|/g, '\\|')));
  const align = headers.map((_, i) => (texts.length > 0 && texts.every((r) => isNumeric(r[i] ?? '') || r[i] === '–') ? '---:' : ':---'));
  return [`| ${headers.join(' | ')} |`, `| ${align.join(' | ')} |`, ...texts.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
