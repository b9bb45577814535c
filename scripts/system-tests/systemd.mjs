#!/usr/bin/env node
// npm run test:systemd — tripod under a real systemd: boots systemd as PID 1 in systemd-nspawn from a
// cached debootstrap root (a tmpfs overlay keeps the root clean), installs the packed tarball and the
// units exactly as README's "package" and "systemd" blocks say, and checks socket activation + notify,
// reload, the watchdog restarting a SIGSTOPped cop (successor adopts the tiers; 0 failed requests under
// load), SIGKILL of server and manager (0 refused), journal priorities, and a stop that leaves nothing.
// Needs root, systemd-nspawn (systemd-container) and debootstrap. Host node is bind-mounted read-only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Failure, check, debianRoot, freePort, packTarball, probe, readmeBlocks, runSystemTest, say, sh, startLoad, total, waitFor } from './common.mjs';

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const work = mkdtempSync(join(tmpdir(), 'tripod-systemd-test-'));
let nspawn = null;
let pid1 = null;

/** Runs a shell command inside the container (as root, all its namespaces). */
function inside(script, options = {}) {
  return sh('nsenter', ['-t', String(pid1), '-a', 'env', '-i', `PATH=${PATH}`, 'HOME=/root', 'npm_config_nodedir=/usr', 'bash', '-euo', 'pipefail', '-c', script], options);
}

/** The PID (in the container's namespace) a runtime-dir lock file names. */
function lockPid(tier) {
  return Number(inside(`cat /run/tripod/${tier}.lock 2>/dev/null || true`).trim()) || null;
}

function journal(args) {
  return inside(`journalctl --no-pager -o cat ${args}`);
}

async function boot(rootfs) {
  nspawn = spawn('systemd-nspawn', ['-b', '-D', rootfs, '--volatile=overlay', '--register=no', '--keep-unit', '-M', `tripod-test-${process.pid}`,
    '--bind-ro=/usr/bin/node', '--bind-ro=/usr/lib/node_modules/npm', '--bind-ro=/usr/include/node', `--bind-ro=${work}:/mnt/tripod`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  nspawn.stderr.on('data', (d) => (err += d));
  pid1 = await waitFor('the container\'s PID 1', () => {
    if (nspawn.exitCode !== null) throw new Failure(`systemd-nspawn exited ${nspawn.exitCode}: ${err}`);
    // nspawn forks helpers first; PID 1 is the child that has exec'd systemd.
    const kids = sh('ps', ['-o', 'pid=,comm=', '--ppid', String(nspawn.pid)], { allowFail: true }).stdout.trim().split('\n');
    const init = kids.map((l) => l.trim().split(/\s+/)).find(([, comm]) => comm === 'systemd');
    return init ? Number(init[0]) : null;
  }, 20_000);
  const state = await waitFor('systemd to finish booting', () => inside('systemctl is-system-running --wait || true').trim(), 60_000);
  say(`systemd booted in the container (PID 1 on the host: ${pid1}): ${state}`);
  inside('ln -sf /usr/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm');
}

async function main() {
  if (process.getuid() !== 0) throw new Failure('needs root (systemd-nspawn)');
  for (const tool of ['systemd-nspawn', 'nsenter']) if (sh('which', [tool], { allowFail: true }).status !== 0) throw new Failure(`${tool} is missing: apt-get install -y systemd-container`);
  const rootfs = debianRoot('bookworm-systemd', ['systemd', 'systemd-sysv', 'dbus', 'procps', 'python3', 'make', 'g++']);
  const port = await freePort();

  // README "From a package": `npm pack` here, the rest inside the container, as written.
  const [packageBlock] = readmeBlocks('package');
  const tarball = packTarball(work);
  say(`packed ${tarball}`);
  await boot(rootfs);
  const installLines = packageBlock.split('\n').filter((l) => !/^\s*npm pack\b/.test(l)).join('\n');
  inside(`cd /mnt/tripod && ${installLines}`);
  check(inside('command -v tripod tripod-cop tripod-chaos').trim().split('\n').length === 3, 'npm install -g of the tarball put tripod, tripod-cop, tripod-chaos on PATH');

  // README "As a systemd service", with a free port instead of the default 8080 (the host network is shared).
  const [systemdBlock] = readmeBlocks('systemd');
  inside(systemdBlock.replaceAll('tripod systemd-unit', `tripod systemd-unit --listen 127.0.0.1:${port}`));
  const show = (unit, props) => Object.fromEntries(inside(`systemctl show ${unit} -p ${props}`).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  let svc = show('tripod.service', 'Type,ActiveState,SubState,MainPID');
  check(svc.Type === 'notify' && svc.ActiveState === 'active' && svc.SubState === 'running', `tripod.service is active (running), Type=notify (${JSON.stringify(svc)})`);
  check(show('tripod.socket', 'ActiveState').ActiveState === 'active', 'tripod.socket is active');
  check(/sockets\.from-systemd/.test(journal('-u tripod.service')), 'the cop took its listener from socket activation (sockets.from-systemd)');
  check((await probe(port)) === 'ok', `a request through the socket on 127.0.0.1:${port} is served`);

  // systemctl reload returns only once the cop has reloaded (ExecReload=tripod reload waits).
  const before = JSON.parse(inside('cat /run/tripod/cop-status.json')).lastReload?.at ?? null;
  inside('systemctl reload tripod.service');
  const after = JSON.parse(inside('cat /run/tripod/cop-status.json')).lastReload?.at ?? null;
  check(after !== null && after !== before, `systemctl reload returned after the cop recorded its reload (lastReload.at ${before} -> ${after})`);
  check(show('tripod.service', 'SubState').SubState === 'running', 'the service is running after the reload');

  // Watchdog: SIGSTOP the cop under load; systemd kills it (WatchdogSec=30s) and starts a new one,
  // which adopts the running manager and server.
  const [copPid, managerPid, serverPid] = [lockPid('cop'), lockPid('manager'), lockPid('server')];
  const load = startLoad(port);
  inside(`kill -STOP ${copPid}`);
  say(`SIGSTOPped the cop (PID ${copPid}); waiting for the watchdog`);
  await waitFor('a new cop holding cop.lock', () => {
    const now = lockPid('cop');
    return now !== null && now !== copPid && show('tripod.service', 'SubState').SubState === 'running';
  }, 90_000, 500);
  await waitFor('the new cop to see the instance serving', () => /serving/.test(show('tripod.service', 'StatusText').StatusText ?? ''), 30_000, 250);
  let counts = await load.stop();
  check(/[Ww]atchdog timeout/.test(journal('-u tripod.service')), 'systemd logged the watchdog timeout');
  check(lockPid('manager') === managerPid && lockPid('server') === serverPid, `the new cop (PID ${lockPid('cop')}) adopted the running manager ${managerPid} and server ${serverPid}`);
  check(total(counts) > 100 && counts.ok === total(counts), `0 failed requests across the watchdog restart (${JSON.stringify(counts)})`);

  // SIGKILL of the server, then of the manager, under load: nothing refused.
  const load2 = startLoad(port);
  inside(`kill -KILL ${serverPid}`);
  await waitFor('a new server', () => { const p = lockPid('server'); return p !== null && p !== serverPid; }, 30_000, 100);
  const manager2 = lockPid('manager');
  inside(`kill -KILL ${manager2}`);
  await waitFor('a new manager and its server', () => { const m = lockPid('manager'); return m !== null && m !== manager2 && lockPid('server') !== null; }, 30_000, 100);
  await waitFor('serving again', async () => (await probe(port)) === 'ok', 10_000);
  counts = await load2.stop();
  check(total(counts) > 50 && !counts.refused, `SIGKILL of server and manager: 0 refused (${JSON.stringify(counts)})`);

  // Priorities: errors and warnings reach `journalctl -p warning`, info does not.
  const warnings = journal('-u tripod.service -p warning');
  check(/server\.exit/.test(warnings), 'the SIGKILLed server\'s exit is in journalctl -p warning');
  check(!/ info /.test(warnings), 'no info line in journalctl -p warning');

  // Stop: the server drains, every tier exits, nothing is left; a planned stop logs no warning.
  const cursor = /-- cursor: (.*)/.exec(inside('journalctl -u tripod.service -n 1 --show-cursor -o cat'))?.[1];
  if (!cursor) throw new Failure('no journal cursor for tripod.service');
  const since = `--after-cursor '${cursor}'`;
  inside('systemctl stop tripod.socket tripod.service');
  svc = show('tripod.service', 'ActiveState,Result,ExecMainStatus');
  check(svc.ActiveState === 'inactive' && svc.Result === 'success' && svc.ExecMainStatus === '0', `systemctl stop: inactive, Result=success, cop exit 0 (${JSON.stringify(svc)})`);
  const left = inside('pgrep -u tripod -a || true').trim();
  check(left === '', `no process of user tripod is left${left ? `: ${left}` : ''}`);
  check(/server\.drained/.test(journal(`-u tripod.service ${since}`)), 'the stop drained the server (server.drained)');
  const stopWarnings = journal(`-u tripod.service -p warning ${since}`).trim();
  check(stopWarnings === '', `a planned stop logs no warning${stopWarnings ? `: ${stopWarnings}` : ''}`);
  check((await probe(port)) === 'refused', 'the port is closed after the stop');
}

async function cleanup() {
  if (nspawn && nspawn.exitCode === null) {
    if (pid1) sh('nsenter', ['-t', String(pid1), '-a', 'systemctl', 'poweroff'], { allowFail: true });
    await waitFor('the container to power off', () => nspawn.exitCode !== null, 30_000).catch(() => nspawn.kill('SIGKILL'));
  }
  rmSync(work, { recursive: true, force: true });
}

runSystemTest('test:systemd', main, cleanup);
