import { systemErrorCode } from '../errors.js';

/** process.kill that reports ESRCH as `false` instead of throwing; other errors still throw. */
export function sendSignal(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (err) {
    if (systemErrorCode(err) === 'ESRCH') return false;
    throw err;
  }
}
