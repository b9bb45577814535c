// Acting as another local user for the hostile tests: uid/gid 65534 through setpriv, which needs root.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const NOBODY = 65534;
export const IS_ROOT = process.geteuid?.() === 0;
const HAS_SETPRIV = spawnSync('setpriv', ['--version']).status === 0;
/** Why a test that needs another uid is skipped here, or false when it can run. */
export const NEEDS_ROOT: string | false = IS_ROOT && HAS_SETPRIV ? false : 'needs root and setpriv to act as another user (uid 65534)';

/** Runs `node -e script ...args` as uid/gid 65534 with no supplementary groups; resolves its output and status. */
export function nodeAsNobody(script: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, '-e', script, ...args], { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir` (recursively) with its mode bits. */
export function filesWithModes(dir: string): { path: string; mode: number; kind: string }[] {
  const found: { path: string; mode: number; kind: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) found.push({ path, mode: st.mode & 0o7777, kind: 'dir' }, ...filesWithModes(path));
    else found.push({ path, mode: st.mode & 0o7777, kind: st.isSocket() ? 'socket' : 'file' });
  }
  return found;
}
