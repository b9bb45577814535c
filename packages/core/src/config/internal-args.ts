// The internal command line a parent tier starts its child with: exactly `--config-json JSON
// --inherited-fds N [--handover] [--standby | --slot K]`. It is read directly, because loading yargs costs a restarting
// tier ~50–100 ms before it can serve. Anything else goes through yargs (--help, flags).

export interface InternalArgs {
  readonly configJson: string;
  readonly inheritedFds: number;
  readonly handover: boolean;
  /** A warm standby server: load everything, wait for the manager's `go` before listening. */
  readonly standby: boolean;
  /** The pool slot a server serves (0 when not given; a standby learns its slot from `go`). */
  readonly slot: number;
}

/** The manager's form of the arguments, or null when the command line is anything else. */
export function parseInternalArgs(argv: readonly string[]): InternalArgs | null {
  let configJson: string | null = null;
  let inheritedFds = 0;
  let handover = false;
  let standby = false;
  let slot = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config-json' && argv[i + 1] !== undefined) configJson = argv[++i]!;
    else if (arg === '--inherited-fds' && /^\d+$/.test(argv[i + 1] ?? '')) inheritedFds = Number(argv[++i]);
    else if (arg === '--handover') handover = true;
    else if (arg === '--standby') standby = true;
    else if (arg === '--slot' && /^\d+$/.test(argv[i + 1] ?? '')) slot = Number(argv[++i]);
    else return null;
  }
  return configJson === null ? null : { configJson, inheritedFds, handover, standby, slot };
}
