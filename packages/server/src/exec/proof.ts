// Proof that a connection was accepted by the program we keep, not by the process it replaces (during a
// graceful handover both accept on the same listening socket): find the server side of the probe's
// connection in /proc/net/tcp{,6} (local port = the listener's, remote port = the probe's), and look for
// its socket inode among the fds of the program's processes. Pure parts, tested on captured text.

/** The server-side row of a connection: its inode, 0 while the connection waits in the accept queue; null when absent. */
export function findAcceptedInode(netTcpText: string, listenerPort: number, clientPort: number): number | null {
  // Under load the table holds thousands of rows (TIME_WAIT included): look only at lines naming both ports.
  const needle = `:${clientPort.toString(16).toUpperCase().padStart(4, '0')} `;
  let from = 0;
  for (;;) {
    const hit = netTcpText.indexOf(needle, from);
    if (hit < 0) return null;
    const start = netTcpText.lastIndexOf('\n', hit) + 1;
    const endAt = netTcpText.indexOf('\n', hit);
    const end = endAt < 0 ? netTcpText.length : endAt;
    from = end;
    const inode = matchRow(netTcpText.slice(start, end), listenerPort, clientPort);
    if (inode !== null) return inode;
  }
}

/** The inode of one /proc/net/tcp row if it is the server side of listenerPort ← clientPort. */
function matchRow(line: string, listenerPort: number, clientPort: number): number | null {
  const f = line.trim().split(/\s+/);
  if (f.length < 10) return null;
  const localPort = parseInt((f[1] ?? '').split(':')[1] ?? '', 16);
  const remotePort = parseInt((f[2] ?? '').split(':')[1] ?? '', 16);
  return localPort === listenerPort && remotePort === clientPort && f[3] !== '0A' ? Number(f[9]) : null;
}

/** The socket inode an fd link names (`socket:[12345]`), or null. */
export function socketInode(link: string): number | null {
  const match = /^socket:\[(\d+)\]$/.exec(link);
  return match ? Number(match[1]) : null;
}

/** What one probe found; `queued`: the connection still waited in the accept queue when its time was up. */
export type ProofOutcome =
  | { readonly result: 'proven'; readonly pid: number }
  | { readonly result: 'elsewhere' }
  | { readonly result: 'failed'; readonly error: string; readonly queued?: boolean };

/**
 * The outcome of a proof made of several tries, from its last try: in a pool, tries accepted by other
 * members are retried until the deadline, and the last one, given only what time was left, may still
 * wait in the queue when it runs out. That says no more than the tries before it: another member won
 * the race (and the keeper then looks whether its own program waits for connections).
 */
export function settleProof(last: ProofOutcome, sawElsewhere: boolean): ProofOutcome {
  return sawElsewhere && last.result === 'failed' && last.queued === true ? { result: 'elsewhere' } : last;
}

/** Whether a 2xx/3xx status line opens `head` (null: not yet a whole status line). */
export function httpStatusOk(head: string): boolean | null {
  const end = head.indexOf('\n');
  if (end < 0) return head.length > 200 ? false : null;
  const match = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(head);
  if (!match) return false;
  const status = Number(match[1]);
  return status >= 200 && status < 400;
}

/** Where a process sleeps when it waits for a connection: accept, poll, select, epoll (its /proc/PID/wchan). */
const WAITING_FOR_CONNECTIONS = /accept|poll|select/;

/**
 * Whether a process (its /proc/PID/stat state and /proc/PID/wchan) is asleep waiting for connections:
 * idle, not hung. A stopped (T), running (R: spinning, or busy) or otherwise blocked (a futex: deadlock)
 * process is not; an unknown wchan ("0", empty: the kernel hides it) proves nothing either.
 */
export function isWaitingForConnections(state: string | undefined, wchan: string): boolean {
  return state === 'S' && WAITING_FOR_CONNECTIONS.test(wchan.trim());
}
