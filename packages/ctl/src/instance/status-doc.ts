// The shapes ctl reads from the manager (control `status`, status.json) and the cop (cop-status.json).
// They come from other processes and files, possibly older versions: every field may be missing.
import type { CopStatusView, ManagerStatusView } from '@tripod/core';

export interface ServerDoc {
  readonly pid: number | null;
  readonly role: string;
  readonly startedAt?: number;
  readonly readyAt?: number | null;
  readonly handover?: boolean;
}

export interface ManagerStatusDoc extends ManagerStatusView {
  readonly goal?: 'run' | 'stop';
  readonly serverExpected?: boolean;
  readonly servers?: readonly ServerDoc[];
  readonly lastExit?: { readonly pid: number; readonly code: number | null; readonly signal: string | null; readonly at: number; readonly requested: boolean } | null;
  readonly backlog?: number;
}

export interface CopStatusDoc extends CopStatusView {
  readonly lastReload?: {
    readonly at: number;
    readonly applied?: readonly string[];
    readonly needsRestart?: readonly string[];
    readonly error: string | null;
  } | null;
}
