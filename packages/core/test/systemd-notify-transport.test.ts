// The real transport: systemd-notify runs against a datagram socket a python3 helper binds.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { spawnNotifyTransport } from '../src/systemd/notify-transport.js';

const LISTENER = new URL('../../../../scripts/systemd/notify-listen.py', import.meta.url).pathname;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = !has('systemd-notify') ? 'systemd-notify is not installed' : !has('python3') ? 'python3 is not installed' : false;

interface Note {
  readonly fields: string[];
  readonly pid: number | null;
}

async function listen(path: string): Promise<{ child: ChildProcess; notes: Note[] }> {
  const child = spawn('python3', [LISTENER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const notes: Note[] = [];
  let ready!: () => void;
  const listening = new Promise<void>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`notify-listen.py exited with ${String(code)}`)));
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const value = JSON.parse(line) as Partial<Note> & { listening?: string };
    if (value.listening) return ready();
    if (value.fields?.[0] === 'BARRIER=1') return;
    notes.push(value as Note);
  });
  await listening;
  return { child, notes };
}

test('messages arrive whole, in the order sent, attributed to the sending process', { skip: missing }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-notify-'));
  const socket = join(dir, 'notify.sock');
  const listener = await listen(socket);
  t.after(() => {
    listener.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const transport = spawnNotifyTransport({ socket });
  const sends = [['READY=1', 'STATUS=one'], ['WATCHDOG=1'], ['STATUS=three'], ['STOPPING=1']].map((f) => transport.send(f));
  await Promise.all(sends);
  assert.deepEqual(listener.notes.map((n) => n.fields), [['READY=1', 'STATUS=one'], ['WATCHDOG=1'], ['STATUS=three'], ['STOPPING=1']]);
  if (process.getuid?.() === 0) {
    // Privileged, systemd-notify sends with its parent's credentials: systemd sees this process, not a short-lived child.
    assert.deepEqual(new Set(listener.notes.map((n) => n.pid)), new Set([process.pid]));
  }
});

test('a socket nobody listens on fails the send with systemd-notify\'s reason', { skip: missing }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-notify-'));
  try {
    const transport = spawnNotifyTransport({ socket: join(dir, 'absent.sock'), timeoutMs: 8000 });
    await assert.rejects(transport.send(['READY=1']), /systemd-notify READY=1 failed \(exit \d+\)/);
    await assert.doesNotReject(transport.send(['READY=1']).catch(() => undefined), 'the queue carries on after a failure');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing binary rejects with ENOENT instead of throwing', async () => {
  const transport = spawnNotifyTransport({ socket: '/nonexistent/notify', binary: '/nonexistent/systemd-notify' });
  await assert.rejects(transport.send(['READY=1']), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
});
