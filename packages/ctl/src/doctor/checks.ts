// The doctor's checks, each self-contained: runtime directory, native lock module, /proc, stale files.
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TIERS, acquireLock, controlCall, describeLockContent, findLockHolder, hasProcfs, parsePingReply, probeLock, readEnviron, readProcLocks, systemErrorCode,
  type RuntimePaths,
} from '@tripod/core';
import { fail, pass, type CheckResult } from './check.js';

/** Exists, is a directory, is writable, and is not writable by everyone. */
export function checkRuntimeDir(dir: string): CheckResult {
  const name = 'runtime directory';
  let mode: number;
  try {
    const st = statSync(dir);
    if (!st.isDirectory()) return fail(name, `${dir} is not a directory`, `remove it, or pass another --runtime-dir`);
    mode = st.mode;
  } catch (err) {
    return fail(name, `${dir}: ${systemErrorCode(err) ?? String(err)}`, `create it: mkdir -p ${dir} (tripod start creates only the default .tripod)`);
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return fail(name, `${dir} is not writable by uid ${process.getuid?.()}`, `run as its owner, or chown it to this user`);
  }
  if (mode & 0o002) {
    return fail(name, `${dir} is writable by every user (mode ${(mode & 0o7777).toString(8)}): anyone could plant files the tiers trust`, `chmod o-w ${dir}`);
  }
  return pass(name, `${dir} exists, is writable, mode ${(mode & 0o7777).toString(8)}`);
}

/** fs-ext loaded (we are running), and a write lock can be taken, seen in /proc/locks and given back. */
export async function checkLocking(): Promise<CheckResult> {
  const name = 'fcntl locks (fs-ext)';
  const dir = mkdtempSync(join(tmpdir(), 'tripod-doctor-'));
  const path = join(dir, 'test.lock');
  try {
    const lock = await acquireLock(path);
    const seen = readProcLocks() === null ? null : findLockHolder(path);
    lock.release();
    if (seen !== null && seen !== process.pid) return fail(name, `/proc/locks names PID ${seen} for our test lock`, 'report this: lock probing is unreliable here');
    const after = readProcLocks() === null ? null : findLockHolder(path);
    if (after !== null) return fail(name, 'the test lock was still held after release', 'report this: lock release is unreliable here');
    return pass(name, seen === null ? 'a test lock was taken and released (no /proc/locks to cross-check)' : 'a test lock was taken, seen in /proc/locks, and released');
  } catch (err) {
    return fail(name, `a test lock could not be taken: ${(err as Error).message}`, 'rebuild the native module: npm rebuild fs-ext (needs a C++ toolchain and python3)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** /proc, /proc/locks and /proc/PID/environ are readable. */
export function checkProc(): CheckResult[] {
  const fix = 'tripod needs a Linux procfs: mount it (mount -t proc proc /proc), or run where /proc is visible';
  return [
    hasProcfs() ? pass('/proc', 'readable') : fail('/proc', '/proc/self/stat is not readable', fix),
    readProcLocks() !== null ? pass('/proc/locks', 'readable') : fail('/proc/locks', 'not readable: lock holders fall back to take-and-release probing', fix),
    readEnviron(process.pid) !== null ? pass('/proc/PID/environ', 'readable') : fail('/proc/PID/environ', 'not readable: processes of the instance cannot be recognised', fix),
  ];
}

/** Lock files that name a PID nobody holds, symlinked lock files, locks held by strangers. */
export async function checkLockFiles(paths: RuntimePaths): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const tier of TIERS) {
    const path = paths.lockFile(tier);
    const name = `${tier}.lock`;
    const probe = await probeLock(path);
    if (!probe.exists) results.push(pass(name, 'absent'));
    else if (probe.isSymlink) results.push(fail(name, `${path} is a symbolic link`, `remove it: rm ${path}`));
    else if (probe.holder !== null) results.push(pass(name, `held by PID ${probe.holder}`));
    else if (probe.content?.valid) {
      results.push(fail(name, `stale: names PID ${probe.content.pid}, but no process holds it (the ${tier} was killed, not stopped)`, `harmless, the next start rewrites it; to clear it: rm ${path}`));
    } else results.push(pass(name, `free (${probe.content ? describeLockContent(probe.content) : 'unreadable'})`));
  }
  return results;
}

/** manager.sock without a manager, or a manager that does not answer. */
export async function checkControlSocket(paths: RuntimePaths): Promise<CheckResult> {
  const name = 'manager.sock';
  const path = paths.controlSocket;
  if (!existsSync(path)) return pass(name, 'absent');
  const holder = findLockHolder(paths.lockFile('manager'));
  if (holder === null) return fail(name, `stale: ${path} exists but no manager holds manager.lock`, `harmless, the next manager replaces it; to clear it: rm ${path}`);
  try {
    await controlCall(path, { cmd: 'ping' }, 1500, parsePingReply);
    return pass(name, `manager PID ${holder} answers`);
  } catch (err) {
    return fail(name, `manager PID ${holder} holds the lock but does not answer: ${(err as Error).message}`, 'the cop replaces a wedged manager within a few checks; if it does not, tripod stop and start');
  }
}

/** Node is new enough. */
export function checkNode(): CheckResult {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return ok ? pass('node', `v${process.versions.node}`) : fail('node', `v${process.versions.node} is older than 20.19`, 'install Node.js 20.19 or newer');
}
