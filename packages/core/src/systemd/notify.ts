// The sd_notify(3) messages a tripod process sends: a no-op without NOTIFY_SOCKET, otherwise each
// call becomes one message on a transport (systemd-notify by default). WATCHDOG=1 is rate-limited.
import { watchdogPingIntervalMs, type NotifyEnv } from './notify-env.js';
import { spawnNotifyTransport, type NotifyTransport } from './notify-transport.js';

export interface Notifier {
  /** False when no service manager listens (NOTIFY_SOCKET unset): every call does nothing. */
  readonly enabled: boolean;
  /** Least ms between two WATCHDOG=1 messages, or null when systemd runs no watchdog for us. */
  readonly watchdogIntervalMs: number | null;
  /** READY=1: start-up (or a reload) is complete. */
  ready(status?: string): void;
  /** WATCHDOG=1, unless one was sent less than `watchdogIntervalMs` ago or no watchdog applies. */
  watchdog(): void;
  /** STATUS=…, unless it repeats the last one sent. */
  status(text: string): void;
  /** STOPPING=1: the stop has begun. */
  stopping(status?: string): void;
  /** RELOADING=1 with MONOTONIC_USEC= (what Type=notify-reload in systemd ≥ 253 requires; older ones ignore it). */
  reloading(status?: string): void;
  /** MAINPID=…: another process is now the service's main process. */
  mainPid(pid: number): void;
  /** Resolves once every message handed over so far has been sent (or failed). */
  flush(): Promise<void>;
}

export interface NotifierDeps {
  readonly transport?: NotifyTransport;
  /** Milliseconds, for the watchdog rate limit. */
  readonly now?: () => number;
  /** CLOCK_MONOTONIC in microseconds (what systemd compares MONOTONIC_USEC against). */
  readonly monotonicUsec?: () => bigint;
  /** A message could not be sent; the notifier carries on. */
  readonly onError?: (err: Error, fields: readonly string[]) => void;
}

const NOOP_NOTIFIER: Notifier = Object.freeze({
  enabled: false,
  watchdogIntervalMs: null,
  ready() {},
  watchdog() {},
  status() {},
  stopping() {},
  reloading() {},
  mainPid() {},
  flush: () => Promise.resolve(),
});

/** STATUS= takes one line. */
function statusField(text: string): string {
  return `STATUS=${text.replace(/[\r\n]+/g, ' ')}`;
}

/** A notifier for what systemd put in the environment (see takeNotifyEnv). */
export function createNotifier(notifyEnv: NotifyEnv, deps: NotifierDeps = {}): Notifier {
  const socket = notifyEnv.socket;
  if (socket === null) return NOOP_NOTIFIER;
  const transport = deps.transport ?? spawnNotifyTransport({ socket });
  const now = deps.now ?? Date.now;
  const monotonicUsec = deps.monotonicUsec ?? (() => process.hrtime.bigint() / 1000n);
  const interval = watchdogPingIntervalMs(notifyEnv);
  let lastWatchdogAt: number | null = null;
  let lastStatus: string | null = null;
  const pending = new Set<Promise<void>>();

  const send = (fields: string[]) => {
    for (const f of fields) if (f.startsWith('STATUS=')) lastStatus = f;
    const sent = transport.send(fields).catch((err: Error) => deps.onError?.(err, fields));
    pending.add(sent);
    void sent.finally(() => pending.delete(sent));
  };
  const withStatus = (fields: string[], status?: string) => (status === undefined ? fields : [...fields, statusField(status)]);

  return {
    enabled: true,
    watchdogIntervalMs: interval,
    ready: (status) => send(withStatus(['READY=1'], status)),
    watchdog() {
      if (interval === null) return;
      const at = now();
      if (lastWatchdogAt !== null && at - lastWatchdogAt < interval) return;
      lastWatchdogAt = at;
      send(['WATCHDOG=1']);
    },
    status(text) {
      const field = statusField(text);
      if (field !== lastStatus) send([field]);
    },
    stopping: (status) => send(withStatus(['STOPPING=1'], status)),
    reloading: (status) => send(withStatus(['RELOADING=1', `MONOTONIC_USEC=${String(monotonicUsec())}`], status)),
    mainPid: (pid) => send([`MAINPID=${String(pid)}`]),
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
