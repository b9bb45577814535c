import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeMemory, parseVmRss } from '../src/memory.js';

test('parseVmRss reads the VmRSS line of /proc/PID/status in bytes', () => {
  assert.equal(parseVmRss('Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t   51200 kB\nRssAnon:\t 1 kB\n'), 51200 * 1024);
  assert.equal(parseVmRss('Name:\tkthreadd\n'), null);
});

test('a server over the limit is reported only once it stayed over for the whole window', () => {
  const limit = 100;
  let j = judgeMemory([{ pid: 1, rss: 150 }, { pid: 2, rss: 50 }], new Map(), limit, 1000, 0);
  assert.deepEqual(j.over, []);
  j = judgeMemory([{ pid: 1, rss: 150 }, { pid: 2, rss: 50 }], j.overSince, limit, 1000, 999);
  assert.deepEqual(j.over, []);
  j = judgeMemory([{ pid: 1, rss: 160 }, { pid: 2, rss: 50 }], j.overSince, limit, 1000, 1000);
  assert.deepEqual(j.over, [{ pid: 1, rss: 160 }]);
  assert.equal(j.overSince.has(1), false, 'watched afresh after the report');
});

test('a dip under the limit starts the window over; a gone process is forgotten', () => {
  let j = judgeMemory([{ pid: 1, rss: 150 }], new Map(), 100, 1000, 0);
  j = judgeMemory([{ pid: 1, rss: 90 }], j.overSince, 100, 1000, 500);
  j = judgeMemory([{ pid: 1, rss: 150 }], j.overSince, 100, 1000, 1200);
  assert.deepEqual(j.over, [], 'the window restarted at 1200');
  j = judgeMemory([{ pid: 1, rss: null }], j.overSince, 100, 1000, 2500);
  assert.equal(j.overSince.size, 0);
});
