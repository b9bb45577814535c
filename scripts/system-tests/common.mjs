// Shared by the system tests (test:systemd, test:container): a cached debootstrap root, commands that
// must succeed, waits with deadlines, an HTTP load that counts every outcome, README's marked blocks.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { markedBlocks } from '../doc-examples.mjs';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
/** Roots, images and downloads live here, outside the checkout, so a second run rebuilds nothing. */
export const CACHE = process.env.TRIPOD_TEST_CACHE ?? '/var/cache/tripod-test';
const started = Date.now();

export function say(text) {
  process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}\n`);
}

export class Failure extends Error {}

/** Asserts `ok`, or fails the run with `message`. */
export function check(ok, message) {
  if (!ok) throw new Failure(message);
  say(`ok: ${message}`);
}

/** Runs a command that must succeed; returns its stdout. */
export function sh(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 15 * 60_000, ...options });
  if (r.status !== 0 && !options.allowFail) {
    throw new Failure(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n--- stdout ---\n${r.stdout ?? ''}\n--- stderr ---\n${r.stderr ?? ''}`);
  }
  return options.allowFail ? r : r.stdout;
}

/** Polls `probe` until it returns a truthy value; fails naming `what` at the deadline. */
export async function waitFor(what, probe, timeoutMs = 30_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Failure(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The Debian mirror apt uses on this host. */
export function aptMirror() {
  const files = ['/etc/apt/sources.list', ...(existsSync('/etc/apt/sources.list.d') ? readdirSync('/etc/apt/sources.list.d').map((f) => `/etc/apt/sources.list.d/${f}`) : [])];
  for (const f of files) {
    const text = existsSync(f) ? readFileSync(f, 'utf8') : '';
    const m = /^URIs:\s*(\S*debian\/?)\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S*debian\/?)\s+\S+/m.exec(text);
    if (m) return m[1];
  }
  return 'http://deb.debian.org/debian';
}

/** A Debian bookworm root made by debootstrap (minbase plus `include`), built once and cached. */
export function debianRoot(name, include) {
  const dir = join(CACHE, name);
  if (existsSync(dir)) return dir;
  for (const tool of ['debootstrap']) if (spawnSync('which', [tool]).status !== 0) throw new Failure(`${tool} is missing: apt-get install -y debootstrap`);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  say(`debootstrap ${name} (once; cached in ${CACHE}) from ${aptMirror()}`);
  sh('debootstrap', ['--variant=minbase', `--include=${include.join(',')}`, 'bookworm', tmp, aptMirror()], { stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(tmp, dir);
  return dir;
}

/** The shell blocks of README.md marked `doc-test: kind`, one string each. */
export function readmeBlocks(kind) {
  const blocks = markedBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).filter((b) => b.kind === kind);
  if (blocks.length === 0) throw new Failure(`README.md has no block marked doc-test: ${kind}`);
  return blocks.map((b) => b.body);
}

/** Packs the checkout as README says (`npm pack`), into `dir`; returns the tarball's path. */
export function packTarball(dir) {
  const name = sh('npm', ['pack', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop();
  return join(dir, name);
}

/** GET http://127.0.0.1:port/ once (no keep-alive): 'ok', 'refused', 'reset', 'status-N' or the error code. */
export function probe(port, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `status-${res.statusCode}`));
      res.on('error', () => resolve('reset'));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : err.code === 'ECONNRESET' ? 'reset' : (err.code ?? 'error')));
  });
}

/** Requests in a loop from `concurrency` clients until stop(); resolves with the count of each outcome. */
export function startLoad(port, concurrency = 4) {
  const counts = {};
  let running = true;
  const worker = async () => {
    while (running) {
      const outcome = await probe(port);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    counts,
    async stop() {
      running = false;
      await Promise.all(workers);
      return counts;
    },
  };
}

export function total(counts) {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** A free loopback TCP port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs `main`; prints PASS or FAIL with the reason; always runs `cleanup`. */
export async function runSystemTest(name, main, cleanup) {
  let code = 0;
  try {
    await main();
    say(`PASS ${name}`);
  } catch (err) {
    code = 1;
    say(`FAIL ${name}: ${err instanceof Failure ? err.message : err.stack}`);
  } finally {
    try {
      await cleanup();
    } catch (err) {
      say(`cleanup failed: ${err.message}`);
      code = 1;
    }
  }
  process.exit(code);
}

export { spawn };
