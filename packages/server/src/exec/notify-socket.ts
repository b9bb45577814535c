// NOTIFY_SOCKET for the program: a unix datagram socket the keeper reads. Node cannot receive unix
// datagrams, so a small perl relay (perl-base is Essential on Debian; no native npm module to build for
// each Node ABI) binds it and prints each datagram as one hex line on its stdout. The relay shares the
// keeper's process group and dies with the keeper (PR_SET_PDEATHSIG), so nothing outlives the keeper.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { prctlSyscall } from './prelude.js';
import { decodeRelayLine, parseNotify, type NotifyMessage } from './notify-message.js';

/** sockaddr_un's sun_path holds 108 bytes with the NUL; a longer path uses the abstract namespace. */
const SUN_PATH_MAX = 107;

const RELAY = String.raw`
use strict; use Socket;
my ($path, $prctl, $keeper) = @ARGV;
syscall($prctl, 1, 9) if $prctl > 0;
exit 1 if getppid() != $keeper;
socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\n";
my $addr = $path;
if ($addr =~ s/^@/\0/) {} else { unlink($path) }
bind($s, pack_sockaddr_un($addr)) or die "bind $path: $!\n";
$| = 1;
print "bound\n";
while (defined(recv($s, my $buf, 65536, 0))) { print unpack('H*', $buf), "\n" if length($buf) }
`;

export interface NotifySocket {
  /** The NOTIFY_SOCKET value for the program (a path, or `@name` in the abstract namespace). */
  readonly address: string;
  close(): void;
}

/** Where the keeper's notify socket lives: in the runtime directory, or abstract when that path is too long. */
export function notifySocketAddress(runtimeDir: string, keeperPid: number): string {
  const path = join(runtimeDir, `notify-${keeperPid}.sock`);
  return Buffer.byteLength(path) <= SUN_PATH_MAX ? path : `@tripod-notify-${keeperPid}-${Date.now()}`;
}

/** Binds the notify socket; resolves once it is bound, then calls `onMessage` for each datagram. */
export function openNotifySocket(address: string, onMessage: (message: NotifyMessage, text: string) => void, onError: (error: string) => void): Promise<NotifySocket> {
  return new Promise((resolve, reject) => {
    let relay: ChildProcess;
    try {
      relay = spawn('perl', ['-e', RELAY, '--', address, String(prctlSyscall()), String(process.pid)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      });
    } catch (err) {
      return reject(err);
    }
    let bound = false;
    let stderr = '';
    relay.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk).slice(-2000));
    const lines = createInterface({ input: relay.stdout! });
    const close = () => {
      relay.kill('SIGKILL');
      if (!address.startsWith('@')) rmSync(address, { force: true });
    };
    lines.on('line', (line) => {
      if (!bound) {
        bound = line === 'bound';
        if (bound) resolve({ address, close });
        return;
      }
      const text = decodeRelayLine(line);
      if (text !== null) onMessage(parseNotify(text), text);
    });
    relay.once('error', (err) => (bound ? onError(err.message) : reject(err)));
    relay.once('exit', (code, signal) => {
      const why = `notify relay exited (${signal ?? code}): ${stderr.trim()}`;
      if (!bound) reject(new Error(why));
      else if (signal !== 'SIGKILL') onError(why);
    });
  });
}
