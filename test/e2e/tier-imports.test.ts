// The cop and the manager import @tripod/core module by module ('@tripod/core/log/logger'), never
// through its barrel: the barrel evaluates every core module (the server's liveness, exec mode, the
// HTTP client, metrics…), and each one loaded stays in a supervision tier's memory (docs/memory.md).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/instance.js';

for (const tier of ['cop', 'manager']) {
  test(`${tier}: no source file imports the @tripod/core barrel`, () => {
    const dir = join(ROOT, 'packages', tier, 'src');
    const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
    assert.ok(files.length > 5, `sources found in ${dir}`);
    const barrel = files.filter((name) => /(from |import\()'@tripod\/core'/.test(readFileSync(join(dir, name), 'utf8')));
    assert.deepEqual(barrel, [], `import from '@tripod/core/<module>' instead, in ${barrel.join(', ')}`);
  });
}
