import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseColonFile, resolveServiceUser } from '../src/config/service-user.js';
import { validateConfig } from '../src/config/validate.js';
import { isTripodError } from '../src/errors.js';

const PASSWD = parseColonFile('root:x:0:0:root:/root:/bin/bash\n# comment\nwww:x:33:34:www:/var/www:/usr/sbin/nologin\n');
const GROUP = parseColonFile('root:x:0:\nweb:x:34:\nops:x:50:\n');

test('names and numbers resolve; the group defaults to the user\'s primary group', () => {
  assert.deepEqual(resolveServiceUser('www', null, PASSWD, GROUP), { uid: 33, gid: 34, name: 'www' });
  assert.deepEqual(resolveServiceUser('33', 'ops', PASSWD, GROUP), { uid: 33, gid: 50, name: '33' });
  assert.deepEqual(resolveServiceUser('4000', '4000', PASSWD, GROUP), { uid: 4000, gid: 4000, name: '4000' });
});

test('unknown names, root, and a uid without a primary group are refused as configuration errors', () => {
  for (const [user, group] of [['nobody-here', null], ['www', 'nogroup-here'], ['root', null], ['0', '0'], ['4000', null]] as const) {
    assert.throws(() => resolveServiceUser(user, group, PASSWD, GROUP), (err: unknown) => isTripodError(err, 'ERR_CONFIG_INVALID'), `${user}:${group}`);
  }
});

test('user and group are validated as names or ids; a group needs a user', () => {
  assert.equal(validateConfig({ user: 33 }, '/').user, '33');
  assert.throws(() => validateConfig({ user: 'a b' }, '/'), (err: unknown) => isTripodError(err, 'ERR_CONFIG_INVALID') && err.details.field === 'user');
  assert.throws(() => validateConfig({ group: 'web' }, '/'), (err: unknown) => isTripodError(err, 'ERR_CONFIG_INVALID') && err.details.field === 'group');
});
