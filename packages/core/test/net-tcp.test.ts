import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, createServer, type Socket } from 'node:net';
import { parseListenRows, pastListenRows } from '../src/proc/net-tcp.js';
import { readAllListenRows, readListenRows } from '../src/proc/read.js';
import { tablesFor } from '../src/queue.js';

// Captured on this machine: 127.0.0.1:48835 listening with backlog 7, three clients connected and
// not accepted; 0.0.0.0:2024 idle; plus the established and TIME_WAIT rows around them.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0100007F:BEC3 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 6214 4 0000000013b251b8 100 0 0 10 0                      
   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1148 1 00000000b2114bf6 100 0 0 10 0                      
   2: 0100007F:A805 0100007F:D9DA 06 00000000:00000000 03:000015B7 00000000     0        0 0 3 00000000a52e83b4                                      
   3: 0100007F:BEC3 0100007F:D6AA 01 00000000:00000000 00:00000000 00000000     0        0 0 1 000000007c379e11 20 0 0 10 -1                         
   5: 0100007F:D6AA 0100007F:BEC3 01 00000000:00000000 00:00000000 00000000     0        0 6216 2 00000000d190539b 20 0 0 10 -1                      
`;

// Captured: [::]:43711 and [::1]:41971 listening.
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:AABF 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5021 1 0000000075bfacdf 100 0 0 10 0
   1: 00000000000000000000000001000000:A3F3 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5020 1 000000001e92f22c 100 0 0 10 0
`;

test('keeps only LISTEN rows of /proc/net/tcp and decodes IPv4 addresses', () => {
  const rows = parseListenRows(TCP);
  assert.deepEqual(
    rows.map((r) => [r.address, r.port, r.inode]),
    [
      ['127.0.0.1', 48835, 6214],
      ['0.0.0.0', 2024, 1148],
    ],
  );
});

test('queued is the LISTEN row rx_queue (connections waiting for accept)', () => {
  const [busy, idle] = parseListenRows(TCP);
  assert.equal(busy?.queued, 3);
  assert.equal(idle?.queued, 0);
});

test('queued is read from the rx_queue column of a LISTEN row', () => {
  const row = '  0: 0100007F:1F90 00000000:0000 0A 000001FF:00000002 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0\n';
  const [parsed] = parseListenRows('header\n' + row);
  assert.equal(parsed?.queued, 2);
  assert.equal(parsed?.port, 8080);
});

test('decodes IPv6 any and loopback from /proc/net/tcp6', () => {
  const rows = parseListenRows(TCP6);
  assert.deepEqual(
    rows.map((r) => [r.address, r.port, r.queued, r.inode]),
    [
      ['::', 43711, 0, 5021],
      ['::1', 41971, 0, 5020],
    ],
  );
});

test('decodes an IPv4-mapped and a global IPv6 address (each 32-bit word is little-endian)', () => {
  const mapped = '0000000000000000FFFF00000100007F';
  // 2001:db8::5 → words 20010db8 00000000 00000000 00000005, each byte-reversed.
  const global = 'B80D0120000000000000000005000000';
  const text = ['header', `0: ${mapped}:0050 ${'0'.repeat(32)}:0000 0A 00000000:00000000 00:00000000 00000000 0 0 11 1`, `1: ${global}:01BB ${'0'.repeat(32)}:0000 0A 00000000:00000000 00:00000000 00000000 0 0 12 1`].join('\n');
  const rows = parseListenRows(text);
  assert.deepEqual(
    rows.map((r) => [r.address, r.port]),
    [
      ['::ffff:7f00:1', 80],
      ['2001:db8::5', 443],
    ],
  );
});

test('empty or header-only text gives no rows', () => {
  assert.deepEqual(parseListenRows(''), []);
  assert.deepEqual(parseListenRows(TCP.split('\n')[0]!), []);
});

test('pastListenRows: true once the last complete row is not LISTEN (the kernel lists listeners first)', () => {
  const lines = TCP.split('\n');
  const upTo = (n: number) => lines.slice(0, n).join('\n') + '\n';
  assert.equal(pastListenRows(''), false);
  assert.equal(pastListenRows(upTo(1)), false, 'the header alone');
  assert.equal(pastListenRows(upTo(3)), false, 'two LISTEN rows');
  assert.equal(pastListenRows(upTo(4)), true, 'then a TIME_WAIT row');
  assert.equal(pastListenRows(upTo(3) + lines[3]!.slice(0, 20)), false, 'a row cut short does not count');
});

test('readListenRows reads only as far as the listeners go, and finds what a whole read finds (this kernel orders listeners first)', async () => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  // Connections, open and closed (TIME_WAIT), so rows of other states follow the listeners.
  const open: Socket[] = [];
  for (let i = 0; i < 50; i++) {
    open.push(await new Promise<Socket>((resolve) => {
      const c = connect(port, '127.0.0.1', () => resolve(c));
      c.on('error', () => undefined);
    }));
  }
  try {
    // Other tests open and close listeners meanwhile: every listener present in a whole read before
    // and after the short one must be in the short one, and the short one holds nothing else.
    const key = (r: { address: string; port: number; inode: number }) => `${r.address}:${r.port}:${r.inode}`;
    const before = new Set(readAllListenRows().map(key));
    const prefix = readListenRows();
    const after = new Set(readAllListenRows().map(key));
    const short = new Set(prefix.map(key));
    const missing = [...before].filter((k) => after.has(k) && !short.has(k));
    assert.deepEqual(missing, [], 'listeners present throughout, missed by the short read');
    assert.deepEqual([...short].filter((k) => !before.has(k) && !after.has(k)), [], 'rows no whole read saw');
    assert.ok(prefix.some((r) => r.port === port && r.address === '127.0.0.1'), 'our listener is found');
  } finally {
    for (const c of open) c.destroy();
    server.close();
  }
});

test('tablesFor: tcp for IPv4 listeners, tcp6 for IPv6 ones, both for localhost', () => {
  assert.deepEqual(tablesFor([{ host: '127.0.0.1', port: 1 }, { host: '0.0.0.0', port: 2 }]), ['tcp']);
  assert.deepEqual(tablesFor([{ host: '::1', port: 1 }]), ['tcp6']);
  assert.deepEqual(tablesFor([{ host: 'localhost', port: 1 }]).sort(), ['tcp', 'tcp6']);
  assert.deepEqual(tablesFor([{ host: '127.0.0.1', port: 1 }, { host: '::', port: 1 }]).sort(), ['tcp', 'tcp6']);
});
