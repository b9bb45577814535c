// Busy is not hung: the keeper's evidence of progress from /proc (activity.ts), judged on fake samples,
// and the sampler (activity-reader.ts) over a fake /proc tree built from text captured on this machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeActivity, type ActivitySample, type ProcessActivity } from '../src/exec/activity.js';
import { processTree } from '@tripod/core/proc/tree';
import { parseCpuTicks, parseIoCalls, sampleActivity, type ProcFiles } from '../src/exec/activity-reader.js';

const proc = (pid: number, over: Partial<ProcessActivity> = {}): ProcessActivity => ({
  pid, starttime: 1000 + pid, state: 'S', cpuTicks: 10, ioCalls: 100, files: '0=/dev/null 3=socket:[500]', ...over,
});
const look = (at: number, ...processes: ProcessActivity[]): ActivitySample => ({ at, processes });

test('a worker that read or wrote since the last look is progress', () => {
  const verdict = judgeActivity(look(0, proc(10), proc(11)), look(500, proc(10), proc(11, { ioCalls: 104, state: 'R', cpuTicks: 40 })));
  assert.deepEqual(verdict, { progress: true, evidence: 'syscalls', pid: 11 });
});

test('a worker that accepted or closed a connection (its open files changed) is progress, though recv/send are not counted in /proc/PID/io', () => {
  const before = look(0, proc(10), proc(11, { files: '0=/dev/null 3=socket:[500] 7=socket:[9001]', state: 'R' }));
  const after = look(500, proc(10), proc(11, { files: '0=/dev/null 3=socket:[500] 7=socket:[9017]', state: 'R', cpuTicks: 50 }));
  assert.deepEqual(judgeActivity(before, after), { progress: true, evidence: 'files', pid: 11 });
});

test('a process that is new since the last look (a fork) is progress', () => {
  assert.deepEqual(judgeActivity(look(0, proc(10)), look(500, proc(10), proc(12))), { progress: true, evidence: 'spawned', pid: 12 });
  // A PID reused by another process is a new process, not the old one's counters going down.
  const reused = judgeActivity(look(0, proc(10), proc(12)), look(500, proc(10), proc(12, { starttime: 99_999, ioCalls: 3 })));
  assert.deepEqual(reused, { progress: true, evidence: 'spawned', pid: 12 });
});

test('a spinning worker (CPU, no system calls) is no progress, and is named', () => {
  const verdict = judgeActivity(look(0, proc(10), proc(11, { state: 'R', cpuTicks: 100 })), look(500, proc(10), proc(11, { state: 'R', cpuTicks: 150 })));
  assert.equal(verdict.progress, false);
  assert.match(verdict.progress ? '' : verdict.why, /using CPU without system calls \(PID 11: spinning/);
});

test('a stopped program is no progress, whatever its counters did before it stopped', () => {
  const verdict = judgeActivity(look(0, proc(10), proc(11)), look(500, proc(10, { state: 'T' }), proc(11, { state: 'T', ioCalls: 200, files: 'changed' })));
  assert.deepEqual(verdict, { progress: false, why: 'every process stopped' });
  assert.equal(judgeActivity(look(0, proc(10)), look(500, proc(10, { state: 't', ioCalls: 101 }))).progress, false, 'traced-stopped too');
  assert.equal(judgeActivity(look(0, proc(10)), look(500, proc(10, { state: 'Z', ioCalls: 101 }))).progress, false, 'a zombie runs no code');
  assert.equal(judgeActivity(look(0, proc(10)), look(500, proc(11, { state: 'T' }))).progress, false, 'a stopped new process is no progress either');
});

test('asleep with nothing moving (idle, or a deadlock) is no progress here: the proof probe tells idle from blocked', () => {
  assert.deepEqual(judgeActivity(look(0, proc(10), proc(11)), look(500, proc(10), proc(11))), { progress: false, why: 'asleep, no system calls (idle, or blocked)' });
});

test('unreadable /proc/PID/io or fd is no evidence, neither way', () => {
  const blind = { ioCalls: null, files: null };
  assert.deepEqual(judgeActivity(look(0, proc(10, blind)), look(500, proc(10, blind))), { progress: false, why: '/proc/PID/io and fd unreadable: no evidence' });
  assert.equal(judgeActivity(look(0, proc(10, { ioCalls: null })), look(500, proc(10, { ioCalls: 5 }))).progress, false, 'a counter seen once is no delta');
  assert.equal(judgeActivity(look(0, proc(10, { ioCalls: null })), look(500, proc(10, { ioCalls: null, files: 'other' }))).progress, true, 'the fd table still tells');
  assert.deepEqual(judgeActivity(look(0), look(500)), { progress: false, why: 'no process left' });
});

// Captured on this machine (`cat /proc/self/stat`, `/proc/self/io`).
const STAT = '13919 (cat) R 13917 13917 6986 0 -1 4194304 101 0 0 0 7 3 0 0 20 0 1 0 1023405 3133440 415 18446744073709551615 93913509597184';
const IO = 'rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 4\nread_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n';

test('parsing: syscr + syscw of /proc/PID/io, utime + stime of /proc/PID/stat (a name with spaces and parentheses too)', () => {
  assert.equal(parseIoCalls(IO), 14);
  assert.equal(parseIoCalls('rchar: 1\n'), null);
  assert.equal(parseCpuTicks(STAT), 10);
  assert.equal(parseCpuTicks(STAT.replace('(cat)', '(a b) (c)')), 10);
  assert.equal(parseCpuTicks('garbage'), 0);
});

/** A fake /proc: files by path, directories by path, fd links by path. */
function fakeProc(files: Record<string, string>, dirs: Record<string, string[]>, links: Record<string, string>): ProcFiles {
  return { read: (p) => files[p] ?? null, list: (d) => dirs[d] ?? null, link: (p) => links[p] ?? null };
}

test('the sampler walks the tree through every thread\'s children, reads each process, and skips one that is gone', () => {
  const stat = (pid: number, state: string) => STAT.replace('13919 (cat) R', `${pid} (w) ${state}`);
  const fake = fakeProc(
    {
      '/proc/10/stat': stat(10, 'S'), '/proc/10/io': IO, '/proc/10/task/10/children': '11 ', '/proc/10/task/15/children': '12',
      '/proc/11/stat': stat(11, 'R'), '/proc/11/task/11/children': '',
      // 12 is listed as a child but gone by the time it is read.
    },
    { '/proc/10/task': ['10', '15'], '/proc/11/task': ['11'], '/proc/10/fd': ['0', '3'], '/proc/11/fd': ['3', '7'] },
    { '/proc/10/fd/0': '/dev/null', '/proc/10/fd/3': 'socket:[500]', '/proc/11/fd/3': 'socket:[500]', '/proc/11/fd/7': 'socket:[9001]' },
  );
  assert.deepEqual(processTree(10, fake), [10, 11, 12]);
  const sample = sampleActivity(10, 777, fake);
  assert.equal(sample.at, 777);
  assert.deepEqual(sample.processes, [
    { pid: 10, starttime: 1023405, state: 'S', cpuTicks: 10, ioCalls: 14, files: '0=/dev/null 3=socket:[500]' },
    { pid: 11, starttime: 1023405, state: 'R', cpuTicks: 10, ioCalls: null, files: '3=socket:[500] 7=socket:[9001]' },
  ]);
});

test('the real sampler sees this process: its own reads move its counters between two looks', async () => {
  const first = sampleActivity(process.pid, 0);
  assert.equal(first.processes[0]?.pid, process.pid);
  assert.notEqual(first.processes[0]?.ioCalls, null, '/proc/self/io readable');
  const { readFileSync } = await import('node:fs');
  readFileSync('/proc/self/stat');
  const second = sampleActivity(process.pid, 1);
  assert.equal(judgeActivity(first, second).progress, true);
});
