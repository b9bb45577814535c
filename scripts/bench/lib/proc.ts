// Thin reads of /proc for one process: CPU ticks, resident memory, age, liveness.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function readOr<T>(path: string, fallback: T): string | T {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Clock ticks per second (`getconf CLK_TCK`; 100 when unknown). */
export function clockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** Fields of /proc/PID/stat after the command (index 0 is the state, field 3), or null. */
function statFields(pid: number | null | undefined): string[] | null {
  if (pid === null || pid === undefined) return null;
  const text = readOr(`/proc/${pid}/stat`, null);
  if (text === null) return null;
  return text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
}

/** utime + stime of `pid` in clock ticks, or null when it is gone. */
export function cpuTicks(pid: number | null | undefined): number | null {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : null;
}

/** VmRSS of `pid` in KiB, or null. */
export function rssKiB(pid: number | null | undefined): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readOr(`/proc/${pid}/status`, ''));
  return match ? Number(match[1]) : null;
}

/** How long `pid` has run, in ms (10 ms resolution), or null when it is gone. */
export function ageMs(pid: number | null | undefined, ticks = 100): number | null {
  const f = statFields(pid);
  if (!f) return null;
  const uptimeS = Number(readOr('/proc/uptime', '0').split(' ')[0]);
  return Math.round((uptimeS - Number(f[19]) / ticks) * 1000);
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number | null | undefined): boolean {
  const f = statFields(pid);
  return f !== null && f[0] !== 'Z' && f[0] !== 'X';
}

/** Socket rows in /proc/net/tcp and tcp6 (what the manager parses for queue depths). */
export function procNetTcpLines(): number {
  return ['/proc/net/tcp', '/proc/net/tcp6'].reduce((n, path) => n + Math.max(0, readOr(path, '').split('\n').filter(Boolean).length - 1), 0);
}
