import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readJsonFile, temporaryName, writeJsonAtomic } from '../src/status-file.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tripod-status-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('written owner-only, read back, no temporary file left', () => {
  const path = join(dir, 'status.json');
  writeJsonAtomic(path, { a: 1 });
  assert.deepEqual(readJsonFile(path), { a: 1 });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['status.json']);
});

test('a link planted at the target is replaced, its target never written', () => {
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious');
  const path = join(dir, 'cop-status.json');
  symlinkSync(victim, path);
  writeJsonAtomic(path, { b: 2 });
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.equal(lstatSync(path).isSymbolicLink(), false);
  assert.deepEqual(readJsonFile(path), { b: 2 });
});

test('temporary names are unpredictable and hidden beside the target', () => {
  const path = join(dir, 'status.json');
  const names = new Set(Array.from({ length: 50 }, () => temporaryName(path)));
  assert.equal(names.size, 50);
  for (const name of names) assert.match(name, /\/\.status\.json\.[0-9a-f]{16}\.tmp$/);
});

test('the old predictable name (status.json.new) planted as a link is irrelevant', () => {
  const victim = join(dir, 'victim3');
  writeFileSync(victim, 'precious');
  const path = join(dir, 'status3.json');
  symlinkSync(victim, `${path}.new`);
  writeJsonAtomic(path, { c: 3 });
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
});
