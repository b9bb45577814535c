import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { NotifyMessage } from '../src/exec/notify-message.js';
import { notifySocketAddress, openNotifySocket } from '../src/exec/notify-socket.js';

const dir = mkdtempSync(join(tmpdir(), 'tripod-notify-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Sends one datagram as sd_notify(3) does (perl: Node has no unix datagrams). */
function send(address: string, text: string): void {
  const run = spawnSync('perl', ['-MSocket', '-e', 'my $a = $ARGV[0]; $a =~ s/^@/\\0/; socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die; send($s, $ARGV[1], 0, pack_sockaddr_un($a)) or die "send: $!"', address, text]);
  assert.equal(run.status, 0, String(run.stderr));
}

async function roundTrip(address: string): Promise<void> {
  const got: NotifyMessage[] = [];
  const socket = await openNotifySocket(address, (m) => got.push(m), (e) => assert.fail(e));
  try {
    send(socket.address, 'READY=1\nSTATUS=booted');
    send(socket.address, 'WATCHDOG=1');
    const deadline = Date.now() + 5000;
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(got.length, 2);
    assert.equal(got[0]!.ready, true);
    assert.equal(got[0]!.status, 'booted');
    assert.equal(got[1]!.watchdog, true);
  } finally {
    socket.close();
  }
}

test('the relay receives datagrams on a path socket in the runtime directory, in order', async () => {
  const address = notifySocketAddress(dir, 4242);
  assert.equal(address, join(dir, 'notify-4242.sock'));
  await roundTrip(address);
});

test('a runtime directory too long for sun_path gets an abstract socket, which works the same', async () => {
  const address = notifySocketAddress(join(dir, 'x'.repeat(120)), 4242);
  assert.match(address, /^@tripod-notify-4242-/);
  await roundTrip(address);
});
