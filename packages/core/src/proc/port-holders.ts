// Who listens on a port, read from /proc: the LISTEN rows of /proc/net/tcp{,6} give the sockets' inodes,
// /proc/PID/fd/* links ("socket:[INODE]") give their holders. No ps, ss or lsof needed (minimal images
// have none); find-process remains the fallback where /proc says nothing (no procfs, another user's process).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { type ListenRow } from './net-tcp.js';
import { PROC_ROOT, listPids, readAllListenRows } from './read.js';

export interface PortHolder {
  readonly pid: number;
  /** The command name (/proc/PID/comm). */
  readonly name: string;
  /** The command line, arguments joined by spaces ('' when unreadable). */
  readonly cmd: string;
}

/** The inodes of the sockets listening on `port`. */
export function listeningInodes(rows: readonly ListenRow[], port: number): Set<number> {
  return new Set(rows.filter((r) => r.port === port && r.inode > 0).map((r) => r.inode));
}

/** The inode of an fd link that names a socket ("socket:[123]"), else null. */
export function socketInode(link: string): number | null {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function holdsAny(pid: number, inodes: ReadonlySet<number>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`${PROC_ROOT}/${pid}/fd`);
  } catch {
    return false; // gone, or another user's process
  }
  return fds.some((fd) => {
    try {
      const inode = socketInode(readlinkSync(`${PROC_ROOT}/${pid}/fd/${fd}`));
      return inode !== null && inodes.has(inode);
    } catch {
      return false;
    }
  });
}

/** The processes holding a socket that listens on `port`, from /proc alone (empty when none is readable). */
export function procPortHolders(port: number): PortHolder[] {
  const inodes = listeningInodes(readAllListenRows(), port);
  if (inodes.size === 0) return [];
  return listPids()
    .filter((pid) => pid !== process.pid && holdsAny(pid, inodes))
    .map((pid) => ({ pid, name: readText(`${PROC_ROOT}/${pid}/comm`).trim(), cmd: readText(`${PROC_ROOT}/${pid}/cmdline`).split('\0').join(' ').trim() }));
}

/** The processes holding `port`: from /proc, else from find-process (which runs ps, ss, netstat or lsof). */
export async function findPortHolders(port: number): Promise<PortHolder[]> {
  const fromProc = procPortHolders(port);
  if (fromProc.length > 0) return fromProc;
  try {
    // Loaded only here: every tier imports core, and only a failed bind or doctor needs it.
    const { default: findProcess } = await import('find-process');
    const found = await findProcess('port', port, { logLevel: 'error' });
    return found.map((p: { pid: number; name: string; cmd?: string }) => ({ pid: p.pid, name: p.name, cmd: p.cmd ?? '' }));
  } catch {
    return [];
  }
}
