// The manager's status: asked over the control socket (short deadline), else read from status.json.
// Both documents are checked against core's wire contracts; one that does not match reads as absent.
import { controlCall, parseCopStatus, parseManagerStatus, readDocument, type CopStatus, type ManagerStatus, type RuntimePaths } from '@tripod/core';

/** How long ctl waits for the manager's status before it falls back to files. */
export const CONTROL_TIMEOUT_MS = 1500;
/** How long ctl waits for the manager to confirm a command (a busy manager is slow, not absent). */
export const COMMAND_TIMEOUT_MS = 5000;

export interface ManagerView {
  readonly status: ManagerStatus | null;
  /** True when the manager answered; false when `status` is status.json (or null). */
  readonly live: boolean;
  /** Why the manager did not answer, when it did not. */
  readonly error: string | null;
  /** Round trip of the status request, when it answered. */
  readonly ms: number | null;
}

/** Asks the manager for its status; falls back to status.json. */
export async function managerView(paths: RuntimePaths, timeoutMs = CONTROL_TIMEOUT_MS): Promise<ManagerView> {
  const started = Date.now();
  try {
    const status = await controlCall(paths.controlSocket, { cmd: 'status' }, timeoutMs, parseManagerStatus);
    return { status, live: true, error: null, ms: Date.now() - started };
  } catch (err) {
    return { status: readManagerStatus(paths), live: false, error: (err as Error).message, ms: null };
  }
}

/** The manager's status.json, or null when it is missing, unreadable or off the contract. */
export function readManagerStatus(paths: RuntimePaths): ManagerStatus | null {
  return readDocument(paths.statusFile, parseManagerStatus);
}

/** The cop's cop-status.json, or null when it is missing, unreadable or off the contract. */
export function readCopStatus(paths: RuntimePaths): CopStatus | null {
  return readDocument(paths.copStatusFile, parseCopStatus);
}
