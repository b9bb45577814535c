// /proc/net/tcp and tcp6: one row per socket; the LISTEN row's rx_queue is the accept-queue depth.
// (Its tx_queue is write_seq - snd_una, always 0 for a listener: the backlog limit is not shown here.)

export interface ListenRow {
  readonly address: string;
  readonly port: number;
  /** Connections completed by the kernel and waiting for accept(). */
  readonly queued: number;
  readonly inode: number;
}

const STATE_LISTEN = '0A';

function decodeIpv4(hex: string): string {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return bytes.reverse().join('.');
}

function decodeIpv6(hex: string): string {
  // Four 32-bit words, each in host (little-endian) byte order.
  const groups: string[] = [];
  for (let word = 0; word < 4; word++) {
    const w = hex.slice(word * 8, word * 8 + 8);
    const bytes = [6, 4, 2, 0].map((i) => w.slice(i, i + 2));
    groups.push(bytes[0]! + bytes[1]!, bytes[2]! + bytes[3]!);
  }
  const text = groups.map((g) => parseInt(g, 16).toString(16)).join(':');
  return text.replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

/** The LISTEN rows of the text of /proc/net/tcp or /proc/net/tcp6. */
export function parseListenRows(text: string): ListenRow[] {
  const rows: ListenRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== STATE_LISTEN) continue;
    const [addrHex, portHex] = (f[1] ?? '').split(':');
    const rxHex = (f[4] ?? '').split(':')[1];
    if (!addrHex || !portHex || !rxHex) continue;
    rows.push({
      address: addrHex.length === 8 ? decodeIpv4(addrHex) : decodeIpv6(addrHex),
      port: parseInt(portHex, 16),
      queued: parseInt(rxHex, 16),
      inode: Number(f[9]),
    });
  }
  return rows;
}

/**
 * Whether `text`, the start of /proc/net/tcp or tcp6, has reached past its LISTEN rows: its last
 * complete row is of another state. The kernel lists every listening socket first (the listening
 * hash), then the established hash, which holds every other socket, TIME_WAIT and SYN_RECV included
 * (since Linux 4.4; before, a listener's SYN_RECV rows followed it); so no LISTEN row follows one of
 * another state, and a reader can stop there instead of reading a row per
 * connection on the host (measured under load: 24k rows, 3.6 MB, 75 ms to read and parse, in the
 * manager's event loop, once a second).
 */
export function pastListenRows(text: string): boolean {
  const end = text.lastIndexOf('\n');
  if (end <= 0) return false;
  const start = text.lastIndexOf('\n', end - 1) + 1;
  if (start === 0) return false; // only the header is complete
  const f = text.slice(start, end).trim().split(/\s+/);
  return f.length >= 4 && f[3] !== STATE_LISTEN;
}
