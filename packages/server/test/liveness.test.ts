import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { livenessDir, livenessSocketPath, pidOfToken, probeLiveness, tokenFilePath } from '@tripod/core';
import { createLiveness } from '../src/liveness/monitor.js';

test('the liveness worker answers on an owner-only socket with the main thread\'s progress and the token', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-liveness-'));
  const liveness = createLiveness();
  try {
    liveness.publish(dir);
    assert.equal(await liveness.serve(dir), null);
    const path = livenessSocketPath(dir, process.pid);
    assert.equal(statSync(livenessDir(dir)).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(tokenFilePath(dir, process.pid)).mode & 0o777, 0o600);
    assert.equal(readFileSync(tokenFilePath(dir, process.pid), 'utf8'), liveness.token);
    assert.equal(pidOfToken(dir, liveness.token), process.pid);

    const first = await probeLiveness(path, 2000);
    assert.ok(first.ok, first.ok ? '' : first.error);
    assert.equal(first.value.pid, process.pid);
    assert.equal(first.value.token, liveness.token);
    assert.ok(first.value.progressAgeMs < 1000, `fresh progress: ${first.value.progressAgeMs}`);

    // A blocked main thread: another process asks 300 ms into the block; the worker answers it at
    // once, with progress as old as the block so far. The main thread spins until the answer is on disk.
    const core = import.meta.resolve('@tripod/core');
    const answer = join(dir, 'answer.json');
    const script = `setTimeout(async () => { const { probeLiveness } = await import(${JSON.stringify(core)}); const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(answer + '.tmp')}, JSON.stringify(await probeLiveness(${JSON.stringify(path)}, 5000))); fs.renameSync(${JSON.stringify(answer + '.tmp')}, ${JSON.stringify(answer)}); }, 300);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    while (!existsSync(answer) && Date.now() < deadline) {
      // spin: the main thread makes no progress
    }
    await new Promise((resolve) => child.once('close', resolve));
    const blocked = JSON.parse(readFileSync(answer, 'utf8')) as Awaited<ReturnType<typeof probeLiveness>>;
    assert.ok(blocked.ok, blocked.ok ? '' : blocked.error);
    assert.ok(blocked.value.progressAgeMs >= 300, `progress age during the block: ${blocked.value.progressAgeMs}`);
  } finally {
    liveness.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stop removes the socket and the token file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-liveness-'));
  const liveness = createLiveness();
  try {
    liveness.publish(dir);
    assert.equal(await liveness.serve(dir), null);
    liveness.stop();
    assert.ok(!existsSync(livenessSocketPath(dir, process.pid)));
    assert.ok(!existsSync(tokenFilePath(dir, process.pid)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
