import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { reapedGroupMembers, signalServerGroup, type GroupProc } from '../src/kill/group.js';
import { readStat } from '../src/proc/read.js';

const p = (pid: number, pgrp: number, starttime: number, state = 'S'): GroupProc => ({ pid, pgrp, starttime, state });

test('after its leader was reaped, only members started no earlier than the leader are signalled', () => {
  assert.deepEqual(reapedGroupMembers(100, 5000, [p(101, 100, 5001), p(102, 100, 5000), p(103, 100, 4999), p(104, 7, 6000), p(105, 100, 6000, 'Z')]), [101, 102]);
});

test('a group id that a live process leads again is not ours: nothing is signalled', () => {
  assert.deepEqual(reapedGroupMembers(100, 5000, [p(100, 100, 9000), p(101, 100, 9001)]), []);
});

test('an unreaped leader: the group is signalled by its id; reaped without a recorded start: nothing', () => {
  let scanned = false;
  const scan = () => {
    scanned = true;
    return [];
  };
  assert.deepEqual(signalServerGroup(999_999_999, null, false, 'SIGKILL', scan), []);
  assert.equal(scanned, false);
});

test('for real: the application child left in a reaped server\'s group is killed by its own PID', async () => {
  // A leader that starts a grandchild in its group and exits at once.
  const leader = spawn(process.execPath, ['-e', "require('child_process').spawn(process.execPath, ['-e', 'setInterval(()=>{},1e6)'], { stdio: 'ignore' }).unref(); console.log('up')"], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const start = await new Promise<number>((resolve) => leader.stdout!.once('data', () => resolve(readStat(leader.pid!)?.starttime ?? 0)));
  await new Promise((resolve) => leader.once('exit', resolve));
  const signalled = signalServerGroup(leader.pid!, start, false, 'SIGKILL');
  assert.equal(signalled.length, 1, 'the grandchild');
  assert.ok(signalled[0]! > 0, 'by PID, not by group id');
});
