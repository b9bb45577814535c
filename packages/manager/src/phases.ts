// The supervisor's named states, derived from its state (never stored beside it, so they cannot
// disagree), and the state × event table decide() follows; test/phases.test.ts checks one against the other.
import type { SupervisorState } from './state.js';

/** Where the supervised server stands. */
export type Phase =
  /** Asked to stop and nothing left running. */
  | 'stopped'
  /** Asked to stop; servers still drain. */
  | 'stopping'
  /** Should run; a server (new or promoted standby) is starting and none serves yet. */
  | 'starting'
  /** A server serves. */
  | 'serving'
  /** A server serves while its successor starts (graceful restart). */
  | 'replacing'
  /** Should run, nothing serves, a restart waits for its backoff delay. */
  | 'backing-off'
  /** The server exited with the no-restart code: nothing starts until `start`. */
  | 'given-up';

export const PHASES: readonly Phase[] = ['stopped', 'stopping', 'starting', 'serving', 'replacing', 'backing-off', 'given-up'];

/** The named state of `state`. */
export function phaseOf(state: SupervisorState): Phase {
  const live = state.procs.filter((p) => p.role !== 'standby' && p.role !== 'draining');
  if (state.goal === 'stop') return state.procs.length === 0 ? 'stopped' : 'stopping';
  if (state.stayDown !== null) return 'given-up';
  const serving = live.some((p) => p.role === 'serving');
  const starting = live.some((p) => p.role === 'starting');
  if (serving) return starting ? 'replacing' : 'serving';
  if (starting) return 'starting';
  return state.backoffUntil !== null ? 'backing-off' : 'stopped';
}

/**
 * The events that move a state, as a reader names them: `crash` is an exit nobody asked for,
 * `crash-again` one that follows another crash with no healthy run between (backoff), `no-restart`
 * an exit with the no-restart code, `requested-exit` an exit tripod asked for.
 */
export type TableEvent = 'start' | 'stop' | 'restart' | 'ready' | 'crash' | 'crash-again' | 'no-restart' | 'backoff-over' | 'requested-exit';

/** state × event → next state; an absent cell leaves the state as it is. */
export const TRANSITIONS: Readonly<Record<Phase, Partial<Record<TableEvent, Phase>>>> = {
  stopped: { start: 'starting', restart: 'starting' },
  stopping: { 'requested-exit': 'stopped', start: 'starting' },
  starting: { ready: 'serving', crash: 'starting', 'crash-again': 'backing-off', 'no-restart': 'given-up', stop: 'stopping' },
  serving: { restart: 'replacing', crash: 'starting', 'crash-again': 'backing-off', 'no-restart': 'given-up', stop: 'stopping' },
  replacing: { ready: 'serving', crash: 'serving', stop: 'stopping' },
  'backing-off': { 'backoff-over': 'starting', start: 'backing-off', restart: 'starting', stop: 'stopped' },
  'given-up': { start: 'starting', restart: 'starting', stop: 'stopped' },
};
