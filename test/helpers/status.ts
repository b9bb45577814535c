// The manager's status as the tests read it: through its wire contract, so a document off the
// contract fails the test instead of being half-read.
import { controlCall, parseManagerStatus, readDocument, type ManagerStatus } from '@tripod/core';
import type { Instance } from './instance.js';

/** status.json, or null when it is missing or off the contract. */
export function statusFile(inst: Pick<Instance, 'paths'>): ManagerStatus | null {
  return readDocument(inst.paths.statusFile, parseManagerStatus);
}

/** The control `status` result, parsed; rejects when the manager does not answer or answers off the contract. */
export function askStatus(inst: Pick<Instance, 'paths'>, timeoutMs = 5000): Promise<ManagerStatus> {
  return controlCall(inst.paths.controlSocket, { cmd: 'status' }, timeoutMs, parseManagerStatus);
}
