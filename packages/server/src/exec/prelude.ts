// The step between the keeper and the program, in the program's own process: a few lines of perl
// (perl-base is Essential on Debian) that tie the program's life to the keeper's (PR_SET_PDEATHSIG),
// put the inherited sockets into LISTEN with the configured backlog (as systemd hands them over), close
// every other inherited fd, set LISTEN_PID to its own PID, and exec the program, which keeps that PID.
import { arch } from 'node:os';

/** prctl(2)'s syscall number per architecture (perl's syscall() needs it; syscall.ph is not in perl-base). */
const PRCTL_SYSCALL: Readonly<Record<string, number>> = { x64: 157, arm64: 167, ia32: 172, arm: 172, riscv64: 167, ppc64: 171, s390x: 172 };

/** prctl's syscall number on this machine, 0 where unknown (then no death signal is armed). */
export function prctlSyscall(): number {
  return PRCTL_SYSCALL[arch()] ?? 0;
}

/** The prelude's exit codes when it cannot reach the program (documented in docs/exec.md). */
export const PRELUDE_EXIT = { LISTEN_FAILED: 120, PARENT_GONE: 121, EXEC_FAILED: 127 } as const;

// ARGV: keeper PID, prctl syscall number (0: none), backlog, number of listening fds, then the program's argv.
const SCRIPT = String.raw`
use strict; use POSIX (); use Fcntl qw(F_GETFD F_SETFD);
my ($keeper, $prctl, $backlog, $n) = splice(@ARGV, 0, 4);
syscall($prctl, 1, 9) if $prctl > 0;              # PR_SET_PDEATHSIG = 1, SIGKILL = 9
exit ${PRELUDE_EXIT.PARENT_GONE} if getppid() != $keeper;  # the keeper died before the line above
my @keep;
for my $fd (3 .. 2 + $n) {
  open(my $fh, '+<&=', $fd) or do { print STDERR "tripod prelude: fd $fd: $!\n"; exit ${PRELUDE_EXIT.LISTEN_FAILED} };
  listen($fh, $backlog) or do { print STDERR "tripod prelude: listen(fd $fd): $!\n"; exit ${PRELUDE_EXIT.LISTEN_FAILED} };
  fcntl($fh, F_SETFD, 0);
  push @keep, $fh;
}
if (opendir(my $dh, '/proc/self/fd')) {
  my @extra = grep { /^\d+$/ && $_ > 2 + $n } readdir($dh);
  closedir($dh);
  POSIX::close($_) for @extra;
}
$ENV{LISTEN_PID} = $$;
exec { $ARGV[0] } @ARGV;
print STDERR "tripod prelude: cannot run $ARGV[0]: $!\n";
exit ${PRELUDE_EXIT.EXEC_FAILED};
`;

export interface PreludeInput {
  readonly keeperPid: number;
  readonly backlog: number;
  readonly fdCount: number;
  readonly argv: readonly string[];
  /** Default: the running architecture's prctl number (0 where unknown: no death signal). */
  readonly prctlSyscall?: number;
}

/** The argv that runs `input.argv` through the prelude (`perl -e SCRIPT …`). */
export function preludeArgv(input: PreludeInput): string[] {
  const prctl = input.prctlSyscall ?? prctlSyscall();
  return ['perl', '-e', SCRIPT, '--', String(input.keeperPid), String(prctl), String(input.backlog), String(input.fdCount), ...input.argv];
}
