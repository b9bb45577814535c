import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findWriteLockHolder, parseProcLocks, splitDev } from '../src/proc/locks.js';

// Captured on this machine: an OFD lock, a POSIX read lock, a flock(2) lock, a POSIX write lock held
// by 2875 and 2916 blocked waiting for it. All four files are on /dev/vda (st_dev 0xfe00).
const CAPTURED = `1: OFDLCK ADVISORY  WRITE -1 fe:00:2148249 0 EOF
2: POSIX  ADVISORY  READ 2875 fe:00:2148248 0 EOF
3: FLOCK  ADVISORY  WRITE 2875 fe:00:2148247 0 EOF
4: POSIX  ADVISORY  WRITE 2875 fe:00:2148246 0 EOF
4: -> POSIX  ADVISORY  WRITE 2916 fe:00:2148246 0 EOF
`;
const DEV = 0xfe00;

test('parses every captured line, the blocked waiter included', () => {
  const entries = parseProcLocks(CAPTURED);
  assert.equal(entries.length, 5);
  assert.deepEqual(entries[0], { kind: 'OFDLCK', mode: 'ADVISORY', access: 'WRITE', pid: -1, major: 254, minor: 0, inode: 2148249, blocked: false });
  assert.deepEqual(entries[2], { kind: 'FLOCK', mode: 'ADVISORY', access: 'WRITE', pid: 2875, major: 254, minor: 0, inode: 2148247, blocked: false });
  assert.deepEqual(entries[3], { kind: 'POSIX', mode: 'ADVISORY', access: 'WRITE', pid: 2875, major: 254, minor: 0, inode: 2148246, blocked: false });
  assert.deepEqual(entries[4], { kind: 'POSIX', mode: 'ADVISORY', access: 'WRITE', pid: 2916, major: 254, minor: 0, inode: 2148246, blocked: true });
  assert.equal(entries[1]?.access, 'READ');
});

test('device numbers in /proc/locks are hexadecimal', () => {
  const [entry] = parseProcLocks('1: POSIX  ADVISORY  WRITE 42 103:1a:77 0 EOF\n');
  assert.equal(entry?.major, 0x103);
  assert.equal(entry?.minor, 0x1a);
  assert.equal(entry?.inode, 77);
});

test('malformed lines are skipped, good ones kept', () => {
  const text = ['', 'garbage', '1: POSIX ADVISORY WRITE', '2: POSIX ADVISORY WRITE abc fe:00:1 0 EOF', '3: POSIX ADVISORY WRITE 9 fe:00 0 EOF', '4: POSIX ADVISORY WRITE 9 zz:00:5 0 EOF', '5: POSIX ADVISORY WRITE 9 fe:00:5 0 EOF'].join('\n');
  const entries = parseProcLocks(text);
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.pid, 9);
  assert.equal(entries[0]?.inode, 5);
});

test('splitDev decodes glibc dev_t encodings', () => {
  assert.deepEqual(splitDev(0xfe00), { major: 254, minor: 0 });
  assert.deepEqual(splitDev(0x801), { major: 8, minor: 1 });
  // NVMe partition 259:300 → minor > 255 lives in bits 20..31: 300 = 0x12c → (0x1 << 20) | (0x103 << 8) | 0x2c = 0x11032c.
  assert.deepEqual(splitDev(0x11032c), { major: 259, minor: 300 });
  assert.deepEqual(splitDev(0x11032cn), { major: 259, minor: 300 });
  // The largest Linux dev_t: major 4095, minor 1048575.
  assert.deepEqual(splitDev(0xffffffffn), { major: 4095, minor: 1048575 });
});

test('findWriteLockHolder matches the granted POSIX write lock by dev and inode', () => {
  const entries = parseProcLocks(CAPTURED);
  assert.equal(findWriteLockHolder(entries, DEV, 2148246), 2875);
  assert.equal(findWriteLockHolder(entries, BigInt(DEV), 2148246), 2875);
});

test('findWriteLockHolder ignores blocked waiters', () => {
  const onlyWaiter = parseProcLocks('4: -> POSIX  ADVISORY  WRITE 2916 fe:00:2148246 0 EOF\n');
  assert.equal(findWriteLockHolder(onlyWaiter, DEV, 2148246), null);
});

test('findWriteLockHolder ignores READ, FLOCK and OFD locks', () => {
  const entries = parseProcLocks(CAPTURED);
  assert.equal(findWriteLockHolder(entries, DEV, 2148248), null, 'POSIX READ');
  assert.equal(findWriteLockHolder(entries, DEV, 2148247), null, 'FLOCK WRITE');
  assert.equal(findWriteLockHolder(entries, DEV, 2148249), null, 'OFDLCK WRITE');
});

test('findWriteLockHolder needs the same device, not only the inode', () => {
  const entries = parseProcLocks(CAPTURED);
  assert.equal(findWriteLockHolder(entries, 0x801, 2148246), null, 'other major');
  assert.equal(findWriteLockHolder(entries, 0xfe01, 2148246), null, 'other minor');
  assert.equal(findWriteLockHolder(entries, DEV, 1), null, 'other inode');
});
