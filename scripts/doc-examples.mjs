#!/usr/bin/env node
// The shell examples of a markdown file that are marked to be run: a fenced ```sh block right after a
// `<!-- doc-test: KIND -->` line (plain `<!-- doc-test -->` is KIND "session"). The tests run exactly
// these blocks, so the documentation cannot drift from the code.
//   node scripts/doc-examples.mjs FILE KIND         prints the blocks of that kind, as one shell script
//   node scripts/doc-examples.mjs FILE KIND --json  prints them as a JSON array of strings
import { readFileSync } from 'node:fs';

const MARK = /^<!--\s*doc-test(?::\s*([\w-]+))?\s*-->\s*$/;

/** Every marked block of `text`: { kind, body, line } (line: 1-based line of the marker). */
export function markedBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const mark = MARK.exec(lines[i].trim());
    if (!mark) continue;
    if (!/^```(sh|bash|shell)\s*$/.test(lines[i + 1] ?? '')) throw new Error(`line ${i + 1}: a doc-test mark must be followed by a \`\`\`sh block`);
    const end = lines.findIndex((l, j) => j > i + 1 && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`line ${i + 2}: unterminated code block`);
    blocks.push({ kind: mark[1] ?? 'session', body: lines.slice(i + 2, end).join('\n'), line: i + 1 });
  }
  return blocks;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [file, kind, format] = process.argv.slice(2);
  if (!file || !kind) {
    process.stderr.write('usage: doc-examples.mjs FILE KIND [--json]\n');
    process.exit(2);
  }
  const blocks = markedBlocks(readFileSync(file, 'utf8')).filter((b) => b.kind === kind);
  if (blocks.length === 0) {
    process.stderr.write(`doc-examples: no block marked doc-test: ${kind} in ${file}\n`);
    process.exit(1);
  }
  process.stdout.write(format === '--json' ? `${JSON.stringify(blocks.map((b) => b.body))}\n` : `${blocks.map((b) => `# ${file}:${b.line}\n${b.body}`).join('\n')}\n`);
}
