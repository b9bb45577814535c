// The documentation's shell examples, run as written against a fresh install: README's "package" block
// packs this checkout and installs it globally into a temp prefix, then README's "run" blocks (npx from
// the clone) and docs/cli.md's session (the installed `tripod` on PATH) must succeed. Only a listening
// port (9000) and /tmp paths are replaced, by a free port and a fresh temp directory.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TIER_NODE_FLAGS, freePort, instanceIdFor, scanInstance, waitFor } from '@tripod/core';
import { ROOT, cleanEnv, tempDir } from '../helpers/instance.js';

const TARBALL = join(ROOT, 'tripod-0.1.0.tgz');
let work: string;
let prefix: string;
const runtimeDirs: string[] = [];

/** The blocks of `file` marked `<!-- doc-test: kind -->` (scripts/doc-examples.mjs). */
function blocks(file: string, kind: string): string[] {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, 'scripts/doc-examples.mjs'), join(ROOT, file), kind, '--json'], { encoding: 'utf8' })) as string[];
}

/** The example with its ports (127.0.0.1:9xxx) moved to free ports and its /tmp/NAME paths into the test's directory. */
async function localize(script: string): Promise<string> {
  const ports = new Map<string, number>();
  for (const m of script.matchAll(/127\.0\.0\.1:(9\d{3})\b/g)) if (!ports.has(m[1]!)) ports.set(m[1]!, await freePort());
  return script
    .replace(/127\.0\.0\.1:(9\d{3})\b/g, (_m, p: string) => `127.0.0.1:${ports.get(p)}`)
    .replace(/\/tmp\/([\w.-]+)/g, (_m, name: string) => join(work, name));
}

/** Runs one example with bash (-e: any failing command fails it); returns its output. */
function run(script: string, cwd: string, env: NodeJS.ProcessEnv): string {
  for (const m of script.matchAll(/--runtime-dir (\S+)/g)) if (!runtimeDirs.includes(m[1]!)) runtimeDirs.push(m[1]!);
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `example failed (exit ${r.status}):\n${script}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  return r.stdout;
}

function installedEnv(): NodeJS.ProcessEnv {
  return cleanEnv({ PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`, npm_config_prefix: prefix, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });
}

before(() => {
  work = tempDir();
  prefix = join(work, 'prefix');
});

after(async () => {
  for (const dir of runtimeDirs.filter((d) => existsSync(d))) {
    const instance = instanceIdFor(dir);
    for (const p of scanInstance(instance)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await waitFor(`instance in ${dir} gone`, () => scanInstance(instance).every((p) => p.state === 'Z'), 5000).catch(() => undefined);
  }
  rmSync(TARBALL, { force: true });
  rmSync(work, { recursive: true, force: true });
});

test('README "from a package": npm pack and npm install -g give working tripod commands', () => {
  const [script] = blocks('README.md', 'package');
  const output = run(script!, ROOT, installedEnv());
  assert.match(output, /tripod <command> \[options\]/);
  for (const bin of ['tripod', 'tripod-cop', 'tripod-chaos']) {
    assert.ok(existsSync(join(prefix, 'bin', bin)), `${bin} installed in ${prefix}/bin`);
  }
  // The installed commands run the bundled copy, not this checkout.
  assert.ok(realpathSync(join(prefix, 'bin', 'tripod')).startsWith(realpathSync(prefix)));
});

test('docs/cli.md\'s example session runs against the installed package, from another directory', async () => {
  assert.ok(existsSync(join(prefix, 'bin', 'tripod')), 'needs the package installed by the previous test');
  const [script] = blocks('docs/cli.md', 'session');
  const local = await localize(script!);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(local)![1]);
  const output = run(local, work, installedEnv());
  assert.match(output, /^tripod_up\{tier="server"\} 1$/m);
  assert.match(output, /fg \(instance \w+\): running/, 'status --wait returned once the foreground cop served');
  // A planned stop is not a warning: the cop logged its kills at info.
  const copLog = readFileSync(join(work, 'tripod-demo/run/logs/cop.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: string; message: string; reason?: string });
  assert.ok(copLog.some((e) => e.message === 'kill.signal' && e.reason === 'instance stop' && e.level === 'info'), 'the stop\'s SIGTERM logged at info');
  assert.deepEqual(copLog.filter((e) => e.level === 'warn' || e.level === 'error'), []);
  assert.match(output, new RegExp(`^ExecStart=\\S+ ${TIER_NODE_FLAGS.cop.join(' ')} ${realpathSync(prefix)}/lib/node_modules/tripod/node_modules/@tripod/cop/bin/tripod-cop\\.js .*--listen 127\\.0\\.0\\.1:${port}$`, 'm'));
});

test('README\'s examples from a clone (npx) run as written', async () => {
  for (const script of blocks('README.md', 'run')) run(await localize(script), ROOT, cleanEnv());
});

test('README marks one block of each way in, and a mark without a shell block is an error', () => {
  const kinds = execFileSync('grep', ['-o', '<!-- doc-test: [a-z-]* -->', join(ROOT, 'README.md')], { encoding: 'utf8' }).trim().split('\n');
  assert.deepEqual(kinds.map((k) => k.replace(/<!-- doc-test: | -->/g, '')).sort(), ['clone', 'container', 'package', 'run', 'systemd']);
  const bad = join(work, 'bad.md');
  writeFileSync(bad, '<!-- doc-test: x -->\nno fence here\n');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/doc-examples.mjs'), bad, 'x'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /must be followed by a ```sh block/);
});
