// sd_notify datagrams (`VAR=VALUE` lines, sd_notify(3)) as typed values: what the keeper honours.

export interface NotifyMessage {
  readonly ready: boolean;
  readonly stopping: boolean;
  readonly reloading: boolean;
  readonly watchdog: boolean;
  /** WATCHDOG=trigger: the program says it is wedged. */
  readonly watchdogTrigger: boolean;
  readonly status: string | null;
  /** MAINPID=: a claim only; the keeper checks it before believing it. */
  readonly mainPid: number | null;
  readonly errno: number | null;
}

/** Parses one datagram's text; unknown variables are ignored, as systemd does. */
export function parseNotify(text: string): NotifyMessage {
  let ready = false;
  let stopping = false;
  let reloading = false;
  let watchdog = false;
  let watchdogTrigger = false;
  let status: string | null = null;
  let mainPid: number | null = null;
  let errno: number | null = null;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'READY') ready = value === '1';
    else if (key === 'STOPPING') stopping = value === '1';
    else if (key === 'RELOADING') reloading = value === '1';
    else if (key === 'WATCHDOG') {
      if (value === '1') watchdog = true;
      else if (value === 'trigger') watchdogTrigger = true;
    } else if (key === 'STATUS') status = value.slice(0, 512);
    else if (key === 'MAINPID' && /^\d+$/.test(value) && Number(value) > 1) mainPid = Number(value);
    else if (key === 'ERRNO' && /^\d+$/.test(value)) errno = Number(value);
  }
  return { ready, stopping, reloading, watchdog, watchdogTrigger, status, mainPid, errno };
}

/** Decodes one line of the relay's output (the datagram in hex); null for a malformed line. */
export function decodeRelayLine(line: string): string | null {
  const hex = line.trim();
  if (hex === '' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  return Buffer.from(hex, 'hex').toString('utf8');
}
