// What a lock file says: `PID\n`. Never trusted for killing; it is compared with the real holder.

export type LockContent =
  | { readonly valid: true; readonly pid: number }
  | { readonly valid: false; readonly reason: 'empty' | 'garbage' | 'not-positive' | 'init'; readonly text: string };

/** Parses a lock file's text. PID 1 is init and never a tier, so it counts as invalid. */
export function parseLockContent(text: string): LockContent {
  const trimmed = text.trim();
  if (trimmed === '') return { valid: false, reason: 'empty', text };
  if (!/^-?\d+$/.test(trimmed)) return { valid: false, reason: 'garbage', text: trimmed.slice(0, 40) };
  const pid = Number(trimmed);
  if (!Number.isSafeInteger(pid) || pid <= 0) return { valid: false, reason: 'not-positive', text: trimmed };
  if (pid === 1) return { valid: false, reason: 'init', text: trimmed };
  return { valid: true, pid };
}

/** A line for people: what is wrong with an invalid lock file. */
export function describeLockContent(content: LockContent): string {
  if (content.valid) return `PID ${content.pid}`;
  switch (content.reason) {
    case 'empty':
      return 'empty';
    case 'garbage':
      return `not a PID (${JSON.stringify(content.text)})`;
    case 'not-positive':
      return `not a positive PID (${content.text})`;
    case 'init':
      return 'PID 1 (init), which is never a tier';
  }
}
