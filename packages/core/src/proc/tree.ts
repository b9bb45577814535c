// A process and its descendants, from /proc/PID/task/TID/children (every thread's children). Used by an
// exec keeper (its program's tree: stop, proofs, activity) and by the tests that watch one.
import { readdirSync, readFileSync } from 'node:fs';

/** How the walk reads /proc: behind this, tests use a fake tree. */
export interface TreeReader {
  list(dir: string): string[] | null;
  read(path: string): string | null;
}

export const PROC_TREE: TreeReader = {
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return null;
    }
  },
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
};

/** Processes walked at most (a fork bomb is not walked to its end). */
export const MAX_TREE_PROCESSES = 4096;

/** The PIDs listed in a /proc/PID/task/TID/children text. */
export function parseChildren(text: string): number[] {
  return text.trim().split(/\s+/).filter((t) => /^\d+$/.test(t)).map(Number);
}

/** `root` and its descendants, root first; a thread or process that ends meanwhile is skipped. */
export function processTree(root: number, proc: TreeReader = PROC_TREE): number[] {
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0 && out.length < MAX_TREE_PROCESSES) {
    const pid = queue.shift()!;
    out.push(pid);
    for (const tid of proc.list(`/proc/${pid}/task`) ?? []) queue.push(...parseChildren(proc.read(`/proc/${pid}/task/${tid}/children`) ?? ''));
  }
  return out;
}
