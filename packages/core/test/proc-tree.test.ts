import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TREE_PROCESSES, parseChildren, processTree, type TreeReader } from '../src/proc/tree.js';

test('a children list parses to its PIDs', () => {
  assert.deepEqual(parseChildren('12 34 \n'), [12, 34]);
  assert.deepEqual(parseChildren(''), []);
});

test('the tree is walked through every thread\'s children, root first; an unreadable thread is skipped', () => {
  const fake: TreeReader = {
    list: (dir) => ({ '/proc/10/task': ['10', '15'], '/proc/11/task': ['11', '16'] })[dir] ?? null,
    read: (path) => ({ '/proc/10/task/10/children': '11 ', '/proc/10/task/15/children': '12', '/proc/11/task/11/children': '13' })[path] ?? null,
  };
  assert.deepEqual(processTree(10, fake), [10, 11, 12, 13]);
  assert.deepEqual(processTree(99, fake), [99], 'a process gone: itself only');
});

test('a fork bomb is not walked to its end', () => {
  const endless: TreeReader = { list: () => ['1'], read: (path) => String(Number(path.split('/')[2]) + 1) };
  assert.equal(processTree(1, endless).length, MAX_TREE_PROCESSES);
});

test('the real tree of this process starts with it', () => {
  assert.equal(processTree(process.pid)[0], process.pid);
});
