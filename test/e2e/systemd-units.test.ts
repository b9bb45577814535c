// `tripod systemd-unit` prints units that `systemd-analyze verify` accepts (for this checkout and this
// node), their timings agree with tripod's defaults, and scripts/systemd/tripod.{service,socket} are
// exactly what it prints for a global install under /usr (no drift).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULTS, TIER_NODE_FLAGS, parseListen } from '@tripod/core';
import { renderService, renderSocket } from '@tripod/ctl/dist/src/systemd-unit/render.js';
import { BIN, ROOT } from '../helpers/instance.js';
import { hasCommand } from './systemd-helpers.js';

const UNITS = join(ROOT, 'scripts/systemd');
const missing = hasCommand('systemd-analyze') ? false : 'systemd-analyze is not installed';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Directive → values (repeated keys keep every value), over all sections. */
function directives(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    map.set(key, [...(map.get(key) ?? []), line.slice(eq + 1)]);
  }
  return map;
}

function one(map: Map<string, string[]>, key: string): string {
  const values = map.get(key);
  assert.ok(values && values.length === 1, `exactly one ${key}= (got ${JSON.stringify(values)})`);
  return values[0]!;
}

/** "30s", "1min", "500ms" → ms (the forms these units use). */
function seconds(text: string): number {
  const m = /^(\d+)(ms|s|min)?$/.exec(text);
  assert.ok(m, `a time span: ${text}`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'min' ? 60_000 : 1000);
}

/** `tripod systemd-unit [args]` of this checkout. */
function printed(...args: string[]): string {
  return execFileSync(process.execPath, [BIN.tripod, 'systemd-unit', ...args], { encoding: 'utf8' });
}

/** Both units as `tripod systemd-unit` prints them, in a temp dir; `edit` may break the service. */
function unitCopy(edit: (service: string) => string = (s) => s): string {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-units-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'tripod.service'), edit(printed()));
  writeFileSync(join(dir, 'tripod.socket'), printed('--socket'));
  return dir;
}

function verify(dir: string): { status: number | null; problems: string[] } {
  const r = spawnSync('systemd-analyze', ['verify', join(dir, 'tripod.socket'), join(dir, 'tripod.service')], { encoding: 'utf8', timeout: 60_000 });
  // Only what concerns our units: verify also loads the targets they name from the host.
  const problems = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /tripod\.(service|socket)/.test(l));
  return { status: r.status, problems };
}

test('systemd-analyze verify accepts tripod.service and tripod.socket without a warning', { skip: missing }, () => {
  const { status, problems } = verify(unitCopy());
  assert.equal(status, 0, problems.join('\n'));
  assert.deepEqual(problems, []);
});

test('systemd-analyze verify is a real check: a broken KillMode and a missing binary are caught', { skip: missing }, () => {
  const { status, problems } = verify(unitCopy((s) => s.replace('KillMode=process', 'KillMode=bogus').replace(/^ExecStart=\S+/m, 'ExecStart=/nonexistent/node')));
  assert.notEqual(status, 0);
  assert.ok(problems.some((l) => /kill mode/i.test(l)), problems.join('\n'));
});

test('the units agree with the cop: notify, process kill mode, watchdog and stop timeouts, the socket address', () => {
  const service = directives(printed());
  const socket = directives(printed('--socket'));
  assert.equal(one(service, 'Type'), 'notify');
  assert.equal(one(service, 'NotifyAccess'), 'all', 'systemd-notify is a child of the cop');
  assert.equal(one(service, 'KillMode'), 'process', 'a cop restart must not kill the manager and server');
  assert.equal(one(service, 'RuntimeDirectory'), 'tripod');
  assert.equal(one(service, 'RuntimeDirectoryPreserve'), 'restart', 'the lock files must survive a cop restart');
  assert.match(one(service, 'Restart'), /^(on-failure|always)$/);
  // systemd 252 returns from `systemctl reload` when ExecReload exits: `tripod reload` waits for the cop.
  assert.match(one(service, 'ExecReload'), /\/bin\/tripod\.js reload --runtime-dir \/run\/tripod$/);
  assert.match(one(service, 'ExecStart'), new RegExp(`^${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${TIER_NODE_FLAGS.cop.join(' ')} \\S+/bin/tripod-cop\\.js `));

  const exec = one(service, 'ExecStart');
  assert.match(exec, /--runtime-dir \/run\/tripod(\s|$)/);
  const listen = /--listen (\S+)/.exec(exec)?.[1];
  assert.ok(listen, 'ExecStart names --listen');
  const stream = one(socket, 'ListenStream');
  assert.deepEqual(parseListen(stream), parseListen(listen), 'the cop probes --listen: it must be the socket unit\'s address');
  assert.equal(one(socket, 'FileDescriptorName'), 'http');
  assert.equal(one(socket, 'Service'), 'tripod.service');

  // The cop's stall bound (packages/cop/src/main.ts stallBound) with the defaults: the longest
  // legitimate cycle. WATCHDOG=1 goes out at most every WatchdogSec/4, after a cycle ends.
  const stall = Math.max(DEFAULTS.stallLimitMs, DEFAULTS.drainTimeoutMs + 3 * DEFAULTS.killGraceMs + 2 * DEFAULTS.probeTimeoutMs);
  const watchdog = seconds(one(service, 'WatchdogSec'));
  assert.ok(watchdog * 0.75 > stall + DEFAULTS.checkIntervalMs, `WatchdogSec=${watchdog} ms leaves no room for a ${stall} ms cycle`);
  // A stop drains the server, then waits out the manager's and the server's kill grace.
  const stop = seconds(one(service, 'TimeoutStopSec'));
  assert.ok(stop >= DEFAULTS.drainTimeoutMs + 2 * DEFAULTS.killGraceMs + 5000, `TimeoutStopSec=${stop} ms is short of the drain timeout and a margin`);
});

test('scripts/systemd holds exactly what `tripod systemd-unit` prints for a global install under /usr', () => {
  const installed = '/usr/lib/node_modules/tripod/node_modules/@tripod';
  const paths = { node: '/usr/bin/node', copBin: `${installed}/cop/bin/tripod-cop.js`, ctlBin: `${installed}/ctl/bin/tripod.js` };
  assert.equal(readFileSync(join(UNITS, 'tripod.service'), 'utf8'), renderService({ ...paths, listen: '127.0.0.1:8080', user: 'tripod' }));
  assert.equal(readFileSync(join(UNITS, 'tripod.socket'), 'utf8'), renderSocket({ listen: '127.0.0.1:8080' }));
});

test('a path with a space is quoted for systemd', () => {
  const service = renderService({ node: '/opt/my node/bin/node', copBin: '/x/cop.js', ctlBin: '/x/tripod.js', listen: '127.0.0.1:1', user: 'u' });
  assert.match(service, /^ExecStart="\/opt\/my node\/bin\/node" --lite-mode --max-semi-space-size=1 \/x\/cop\.js /m);
});
