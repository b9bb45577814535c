import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceProcess } from '@tripod/core';
import { findStrays, standingOf } from '../src/strays/classify.js';

const proc = (pid: number, tier: InstanceProcess['tier'], ppid: number, state = 'S'): InstanceProcess => ({ pid, starttime: pid * 10, tier, state, pgrp: pid, ppid });
const holders = { cop: 10, manager: 20, server: 30 };

test('lock holders and the children of the tier above are accounted for; anything else is a stray', () => {
  assert.equal(standingOf(proc(30, 'server', 20), holders), 'lock-holder');
  assert.equal(standingOf(proc(31, 'server', 20), holders), 'child-of-holder', 'a draining or starting server of the manager');
  assert.equal(standingOf(proc(21, 'manager', 10), holders), 'child-of-holder', 'a manager the cop is starting');
  assert.equal(standingOf(proc(32, 'server', 1), holders), 'stray', 'an orphaned server');
  assert.equal(standingOf(proc(11, 'cop', 1), holders), 'stray', 'a second cop');
  assert.equal(standingOf(proc(33, 'server', 21), holders), 'stray', 'a server whose manager holds no lock');
});

test('without holders every process is a stray; zombies are never listed', () => {
  const none = { cop: null, manager: null, server: null };
  assert.deepEqual(findStrays([proc(30, 'server', 20), proc(31, 'server', 20, 'Z')], none).map((p) => p.pid), [30]);
});
