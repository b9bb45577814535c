// `--user` / `--group` (Traffic Server's proxy.config.admin.user_id): the uid and gid the manager and the
// server run as when the cop is started as root. Names are looked up in /etc/passwd and /etc/group
// (Node has no getpwnam); numbers are taken as they are.
import { readFileSync } from 'node:fs';
import { TripodError } from '../errors.js';

export interface ServiceUser {
  readonly uid: number;
  readonly gid: number;
  /** What was asked for, for messages. */
  readonly name: string;
}

/** The rows of a colon-separated database (/etc/passwd, /etc/group) as arrays of fields. */
export function parseColonFile(text: string): string[][] {
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split(':'));
}

function readRows(path: string): string[][] {
  try {
    return parseColonFile(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

/** Resolves `user` (name or uid) and `group` (name or gid; default: the user's primary group). */
export function resolveServiceUser(user: string, group: string | null, passwd: string[][] = readRows('/etc/passwd'), groups: string[][] = readRows('/etc/group')): ServiceUser {
  let uid: number;
  let primaryGid: number | null = null;
  const byName = passwd.find((row) => row[0] === user);
  if (byName) {
    uid = Number(byName[2]);
    primaryGid = Number(byName[3]);
  } else if (/^\d+$/.test(user)) {
    uid = Number(user);
    const byUid = passwd.find((row) => Number(row[2]) === uid);
    primaryGid = byUid ? Number(byUid[3]) : null;
  } else {
    throw new TripodError('ERR_CONFIG_INVALID', `invalid user: ${JSON.stringify(user)} (no such user in /etc/passwd; give a name or a numeric uid)`, { details: { field: 'user', value: user } });
  }
  let gid: number;
  if (group === null) {
    if (primaryGid === null) throw new TripodError('ERR_CONFIG_INVALID', `invalid group: uid ${uid} has no /etc/passwd entry to take a primary group from (pass --group)`, { details: { field: 'group', value: null } });
    gid = primaryGid;
  } else {
    const g = groups.find((row) => row[0] === group);
    if (g) gid = Number(g[2]);
    else if (/^\d+$/.test(group)) gid = Number(group);
    else throw new TripodError('ERR_CONFIG_INVALID', `invalid group: ${JSON.stringify(group)} (no such group in /etc/group; give a name or a numeric gid)`, { details: { field: 'group', value: group } });
  }
  if (uid === 0) throw new TripodError('ERR_CONFIG_INVALID', 'invalid user: root (uid 0) is what --user is meant to leave; omit --user to run everything as root', { details: { field: 'user', value: user } });
  return { uid, gid, name: user };
}
