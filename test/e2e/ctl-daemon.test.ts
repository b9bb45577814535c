// `tripod start --daemon`: the cop detached as seed 002 describes (session leader, no controlling
// terminal, cwd /, umask 022, stdin /dev/null, output to cop.out), ready when it returns; `tripod stop`
// leaves nothing behind. A failed start reports the cop's own exit code and output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EXIT, freePort, instanceGone, instanceIdFor, readStat, runtimePaths, scanInstance, waitFor } from '@tripod/core';
import { servingPid } from '../helpers/http.js';
import { BIN, FAST, cleanEnv, tempDir } from '../helpers/instance.js';
import { STEADY, killIfAlive, tripod } from './ctl-run.js';

const dirs: string[] = [];
const servers: Server[] = [];
after(async () => {
  for (const dir of dirs) {
    for (const p of scanInstance(instanceIdFor(dir))) killIfAlive(p.pid);
    rmSync(dir, { recursive: true, force: true });
  }
  for (const s of servers) s.close();
});

function freshDir(): string {
  const dir = tempDir('tripod-ctl-');
  dirs.push(dir);
  return dir;
}

test('--daemon detaches the cop, returns once it serves; a second start is a no-op; stop leaves nothing', async () => {
  const dir = freshDir();
  const port = await freePort();
  const start = await tripod(['start', '--daemon', '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, ...FAST, ...STEADY]);
  assert.equal(start.code, 0, start.stderr);
  const pid = Number(start.stdout.trim());
  assert.ok(Number.isInteger(pid) && pid > 0, `stdout is the cop's PID: ${start.stdout}`);
  assert.ok((await servingPid(port)) !== null, 'a server answers as soon as start returns');

  const stat = readStat(pid)!;
  assert.equal(stat.session, pid, 'the cop leads its own session (setsid)');
  assert.equal(stat.pgrp, pid, 'and its own process group');
  assert.equal(stat.tty, 0, 'no controlling terminal');
  assert.equal(readlinkSync(`/proc/${pid}/cwd`), '/', 'cwd is /');
  assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Umask:\s+0022$/m, 'umask 022');
  assert.equal(readlinkSync(`/proc/${pid}/fd/0`), '/dev/null', 'stdin is /dev/null');
  const outFile = join(dir, 'logs', 'cop.out');
  assert.equal(readlinkSync(`/proc/${pid}/fd/1`), outFile, 'stdout goes to cop.out');
  assert.equal(readlinkSync(`/proc/${pid}/fd/2`), outFile, 'stderr goes to cop.out');
  assert.match(readFileSync(outFile, 'utf8'), /cop\.start/);

  const twice = await tripod(['start', '--daemon', '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`]);
  assert.equal(twice.code, 0, twice.stderr);
  assert.equal(Number(twice.stdout.trim()), pid);
  assert.match(twice.stderr, /already running/);

  const stop = await tripod(['stop', '--runtime-dir', dir]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stderr, new RegExp(`SIGTERM to cop PID ${pid}`));
  const paths = runtimePaths(dir);
  assert.ok(instanceGone(instanceIdFor(dir), paths), 'no process of the instance and no lock held after stop');
  const after = readStat(pid);
  assert.ok(after === null || after.state === 'Z', 'the cop is gone (or a zombie waiting for init to reap it)');
  const again = await tripod(['stop', '--runtime-dir', dir]);
  assert.equal(again.code, 0);
  assert.match(again.stderr, /not running/);
});

test('--daemon on a port another process holds: the cop\'s exit code (5) and the end of cop.out', async () => {
  const dir = freshDir();
  const holder = createServer();
  servers.push(holder);
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  const start = await tripod(['start', '--daemon', '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, ...FAST, ...STEADY]);
  assert.equal(start.code, EXIT.BIND, start.stderr);
  assert.match(start.stderr, /the cop exited with code 5 before the instance was ready/);
  assert.match(start.stderr, /ERR_PORT_IN_USE/);
  assert.ok(instanceGone(instanceIdFor(dir), runtimePaths(dir)));
});

test('foreground start: the cop runs under ctl, SIGTERM to ctl stops the instance and ctl exits 0', async () => {
  const dir = freshDir();
  const port = await freePort();
  const ctl = spawn(process.execPath, [BIN.tripod, 'start', '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, ...FAST, ...STEADY], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  ctl.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  ctl.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => ctl.once('exit', (code) => resolve(code)));
  try {
    await waitFor('a server answering', () => servingPid(port), 15_000);
    ctl.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    assert.ok(instanceGone(instanceIdFor(dir), runtimePaths(dir)), output);
    assert.match(output, /cop\[\d+\] info cop\.exit/, 'the cop wrote to the inherited terminal');
  } finally {
    killIfAlive(ctl.pid);
  }
});

test('a bad configuration value exits 2 and names the field, the value and the rule', async () => {
  const result = await tripod(['start', '--check-interval-ms', '-5', '--runtime-dir', freshDir()]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /invalid checkIntervalMs: -5 \(must be a whole number from 50 to 600000\)/);
});
