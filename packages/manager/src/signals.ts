// The manager's signals. Handlers only record the event; the work runs from the event loop.
// SIGTERM/SIGINT: graceful stop (the servers drain, then the manager exits 0). SIGUSR1: graceful
// restart of the servers. SIGHUP: reopen the logs (its own, and each server's).

export interface ManagerSignalTargets {
  readonly shutdown: () => void;
  readonly restart: () => void;
  readonly reopenLogs: () => void;
}

/** Installs the manager's signal handlers. */
export function handleSignals(targets: ManagerSignalTargets): void {
  process.on('SIGTERM', () => setImmediate(targets.shutdown));
  process.on('SIGINT', () => setImmediate(targets.shutdown));
  process.on('SIGUSR1', () => setImmediate(targets.restart));
  process.on('SIGHUP', () => setImmediate(targets.reopenLogs));
}
