// The harness plays systemd, and systemd reaps the orphans of a killed service process. Node cannot
// become a child subreaper (prctl) nor wait for arbitrary PIDs, so each cop is started under a tiny
// Perl shim that marks itself PR_SET_CHILD_SUBREAPER, forks the cop and reaps every descendant that
// is reparented to it, reporting on fd 3. Without Perl the cop is started directly and the orphans
// of a killed cop go to the host's init (which, in some containers, never reaps them).
// With CHAOS_LISTEN_FD=4 the shim also plays tripod.socket: it puts the harness's bound socket (fd 4)
// in the LISTEN state (it never accepts) and hands it to the cop as fd 3 with LISTEN_PID/LISTEN_FDS,
// as systemd does for socket activation.
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';

/** The shim: `perl -e SCRIPT INSTANCE CMD ARGS…`; the cop gets TRIPOD_INSTANCE=INSTANCE, TRIPOD_TIER=cop. */
export const SUBREAPER_SCRIPT = `
use strict; use warnings; use POSIX (); use IO::Handle;
my %PRCTL = (x86_64 => 157, aarch64 => 167, riscv64 => 167, i386 => 172, i686 => 172, armv7l => 172, ppc64le => 171, s390x => 172);
my $nr = $PRCTL{(POSIX::uname())[4]};
my $ok = (defined $nr && syscall($nr, 36, 1, 0, 0, 0) == 0) ? 1 : 0;
$SIG{PIPE} = 'IGNORE';
open(my $out, '>&=', 3) or die "fd 3: $!";
$out->autoflush(1);
print $out "subreaper $ok\\n";
my ($instance, @cmd) = @ARGV;
my $listen = delete $ENV{CHAOS_LISTEN_FD};
my $sock; # lives as long as the shim: a handle going out of scope would close the fd
if (defined $listen) {
  open($sock, '+<&=', $listen) or die "fd $listen: $!";
  listen($sock, 511) or die "listen: $!";
}
my $pid = fork();
die "fork: $!" unless defined $pid;
if ($pid == 0) {
  POSIX::close(3);
  if (defined $listen) {
    POSIX::dup2($listen, 3) or POSIX::_exit(126);
    POSIX::close($listen);
    $ENV{LISTEN_PID} = $$;
    $ENV{LISTEN_FDS} = 1;
    $ENV{LISTEN_FDNAMES} = 'http';
  }
  $SIG{PIPE} = 'DEFAULT';
  $ENV{TRIPOD_INSTANCE} = $instance;
  $ENV{TRIPOD_TIER} = 'cop';
  exec { $cmd[0] } @cmd or POSIX::_exit(127);
}
print $out "spawned $pid\\n";
while (1) {
  my $w = waitpid(-1, 0);
  last if $w <= 0;
  print $out (($w == $pid) ? 'exited' : 'reaped'), " $w $?\\n";
}
`;

export type ReaperLine =
  | { readonly type: 'subreaper'; readonly ok: boolean }
  | { readonly type: 'spawned'; readonly pid: number }
  | { readonly type: 'exited' | 'reaped'; readonly pid: number; readonly code: number | null; readonly signal: string | null };

// First name wins: os.constants.signals lists SIGABRT before its alias SIGIOT.
const signalNames = new Map<number, string>();
for (const [name, n] of Object.entries(constants.signals)) if (!signalNames.has(n)) signalNames.set(n, name);

/** A raw wait status as exit code or signal name. */
export function decodeWaitStatus(status: number): { code: number | null; signal: string | null } {
  const sig = status & 0x7f;
  if (sig === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal: signalNames.get(sig) ?? `signal ${sig}` };
}

/** Parses one line the shim writes; null for anything else. */
export function parseReaperLine(line: string): ReaperLine | null {
  const f = line.trim().split(/\s+/);
  if (f[0] === 'subreaper' && (f[1] === '0' || f[1] === '1')) return { type: 'subreaper', ok: f[1] === '1' };
  const pid = Number(f[1]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (f[0] === 'spawned') return { type: 'spawned', pid };
  if ((f[0] === 'exited' || f[0] === 'reaped') && /^\d+$/.test(f[2] ?? '')) return { type: f[0], pid, ...decodeWaitStatus(Number(f[2])) };
  return null;
}

/** The perl binary on PATH, or null. */
export function findPerl(path: string = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'perl');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}
