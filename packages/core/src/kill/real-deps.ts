import { isStillAlive } from '../proc/identity.js';
import type { KillDeps } from './safe-kill.js';
import { sendSignal } from './signal.js';

/** Safe-kill's effects on the real machine, logging through `log`. */
export function realKillDeps(log: KillDeps['log']): KillDeps {
  return {
    isStillAlive,
    signal: sendSignal,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    log,
  };
}
