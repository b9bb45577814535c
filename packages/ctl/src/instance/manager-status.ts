// The manager's status: asked over the control socket (short deadline), else read from status.json.
import { controlRequest, readJsonFile, type RuntimePaths } from '@tripod/core';
import type { CopStatusDoc, ManagerStatusDoc } from './status-doc.js';

/** How long ctl waits for the manager's status before it falls back to files. */
export const CONTROL_TIMEOUT_MS = 1500;
/** How long ctl waits for the manager to confirm a command (a busy manager is slow, not absent). */
export const COMMAND_TIMEOUT_MS = 5000;

export interface ManagerView {
  readonly status: ManagerStatusDoc | null;
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
    const status = (await controlRequest(paths.controlSocket, { cmd: 'status' }, timeoutMs)) as ManagerStatusDoc;
    return { status, live: true, error: null, ms: Date.now() - started };
  } catch (err) {
    return { status: readJsonFile<ManagerStatusDoc>(paths.statusFile), live: false, error: (err as Error).message, ms: null };
  }
}

/** The cop's cop-status.json, or null when it is missing or unreadable. */
export function readCopStatus(paths: RuntimePaths): CopStatusDoc | null {
  return readJsonFile<CopStatusDoc>(paths.copStatusFile);
}
