import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isJournalStream, journalPrefix } from '../src/log/journal.js';

const LOGGER = new URL('../src/log/logger.js', import.meta.url).href;

test('each level has its sd-daemon priority', () => {
  assert.deepEqual(['error', 'warn', 'info', 'debug'].map((l) => journalPrefix(l as 'error')), ['<3>', '<4>', '<6>', '<7>']);
});

test('JOURNAL_STREAM must name the very device and inode stderr is open on', () => {
  assert.equal(isJournalStream('8:1234', { dev: 8, ino: 1234 }), true);
  assert.equal(isJournalStream('8:1234', { dev: 8, ino: 1235 }), false);
  assert.equal(isJournalStream('9:1234', { dev: 8, ino: 1234 }), false);
  assert.equal(isJournalStream(undefined, { dev: 8, ino: 1234 }), false);
  assert.equal(isJournalStream('garbage', { dev: 8, ino: 1234 }), false);
  assert.equal(isJournalStream('8:1234', null), false);
});

/** Runs a process that logs one error and one info line to its console, stderr going to a file. */
function consoleLines(journalStreamFor: ((file: string) => string) | null): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-journal-'));
  try {
    const file = join(dir, 'stderr');
    const fd = openSync(file, 'w');
    const st = statSync(file);
    const env: NodeJS.ProcessEnv = { ...process.env, JOURNAL_STREAM: journalStreamFor ? journalStreamFor(`${st.dev}:${st.ino}`) : '' };
    const script = `const { createLog } = await import(${JSON.stringify(LOGGER)});
      const log = createLog({ tier: 'cop', file: null, level: 'info', console: true });
      log.error('broke.down', { why: 'test' }); log.info('all.well'); await log.close();`;
    spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', fd], env, timeout: 20_000 });
    closeSync(fd);
    return readFileSync(file, 'utf8').trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('console lines carry priority prefixes only when stderr is the journal stream', () => {
  const journal = consoleLines((devIno) => devIno);
  assert.match(journal[0]!, /^<3>.* error broke\.down why=test$/);
  assert.match(journal[1]!, /^<6>.* info all\.well$/);
  const terminal = consoleLines(null);
  assert.match(terminal[0]!, /^\d\d:\d\d.* error broke\.down/);
  const elsewhere = consoleLines(() => '1:1');
  assert.doesNotMatch(elsewhere.join('\n'), /<\d>/);
});
