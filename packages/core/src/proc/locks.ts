// /proc/locks: `1: POSIX  ADVISORY  WRITE 1855 fe:00:2146375 0 EOF` (blocked waiters carry a `->` marker).

export interface LockEntry {
  readonly kind: string;
  readonly mode: string;
  readonly access: 'READ' | 'WRITE' | string;
  readonly pid: number;
  readonly major: number;
  readonly minor: number;
  readonly inode: number;
  readonly blocked: boolean;
}

/** Parses the text of /proc/locks into its entries; malformed lines are skipped. */
export function parseProcLocks(text: string): LockEntry[] {
  const entries: LockEntry[] = [];
  for (const line of text.split('\n')) {
    const blocked = line.includes('->');
    const fields = line.replace('->', ' ').trim().split(/\s+/);
    if (fields.length < 6) continue;
    const [, kind, mode, access, pidText, devIno] = fields as [string, string, string, string, string, string];
    const parts = devIno.split(':');
    if (parts.length !== 3) continue;
    const pid = Number(pidText);
    const major = parseInt(parts[0]!, 16);
    const minor = parseInt(parts[1]!, 16);
    const inode = Number(parts[2]);
    if (!Number.isInteger(pid) || Number.isNaN(major) || Number.isNaN(minor) || !Number.isInteger(inode)) continue;
    entries.push({ kind, mode, access, pid, major, minor, inode, blocked });
  }
  return entries;
}

/** Splits a `stat().dev` into the kernel's major and minor numbers (glibc's gnu_dev_major/minor). */
export function splitDev(dev: number | bigint): { major: number; minor: number } {
  const d = BigInt(dev);
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
  const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
  return { major, minor };
}

/** The PID holding a granted POSIX write lock on the file with this device and inode, or null. */
export function findWriteLockHolder(entries: readonly LockEntry[], dev: number | bigint, inode: number): number | null {
  const { major, minor } = splitDev(dev);
  const hit = entries.find(
    // PID 0 is a holder in another PID namespace, -1 an OFD lock: neither names a process we can see.
    (e) => e.pid > 0 && !e.blocked && e.kind === 'POSIX' && e.access === 'WRITE' && e.inode === inode && e.major === major && e.minor === minor,
  );
  return hit ? hit.pid : null;
}
