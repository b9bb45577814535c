// The server's command line. A manager always starts it with exactly `--config-json JSON
// --inherited-fds N [--handover]`: that form is read directly, because loading yargs costs a
// restarting server ~100 ms before it can listen. Anything else goes through yargs (--help, flags).

export interface InternalArgs {
  readonly configJson: string;
  readonly inheritedFds: number;
  readonly handover: boolean;
}

/** The manager's form of the arguments, or null when the command line is anything else. */
export function parseInternalArgs(argv: readonly string[]): InternalArgs | null {
  let configJson: string | null = null;
  let inheritedFds = 0;
  let handover = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config-json' && argv[i + 1] !== undefined) configJson = argv[++i]!;
    else if (arg === '--inherited-fds' && /^\d+$/.test(argv[i + 1] ?? '')) inheritedFds = Number(argv[++i]);
    else if (arg === '--handover') handover = true;
    else return null;
  }
  return configJson === null ? null : { configJson, inheritedFds, handover };
}
