// The supervisor's named states, derived from its state (never stored beside it, so they cannot
// disagree), and the state × event table decide() follows for each slot; test/phases.test.ts checks
// one against the other. The pool's state summarises its slots' states.
import { SLOT_PHASES, type PoolPhase, type SlotPhase } from '@tripod/core/wire/manager-status';
import type { SupervisorState } from './state.js';

/**
 * Where one slot of the pool stands (the strings are core's wire SLOT_PHASES):
 * stopped — asked to stop and nothing left running (or nothing runs and nothing is pending);
 * stopping — asked to stop, servers still drain; starting — should run, a server (new or promoted
 * standby) starts and none serves yet; serving — a server serves; replacing — a server serves while
 * its successor starts (rolling restart, memory limit); backing-off — nothing serves, a restart waits
 * for its backoff delay; given-up — the no-restart exit code: nothing starts until `start`.
 */
export type Phase = SlotPhase;

export const PHASES: readonly Phase[] = SLOT_PHASES;

/** The named state of `slot` in `state`. */
export function slotPhaseOf(state: SupervisorState, slot: number): Phase {
  const own = state.procs.filter((p) => p.slot === slot);
  const record = state.slots.find((s) => s.slot === slot);
  if (state.goal === 'stop' || record === undefined) return own.length === 0 ? 'stopped' : 'stopping';
  if (record.stayDown !== null) return 'given-up';
  const serving = own.some((p) => p.role === 'serving');
  const starting = own.some((p) => p.role === 'starting');
  if (serving) return starting ? 'replacing' : 'serving';
  if (starting) return 'starting';
  return record.backoffUntil !== null ? 'backing-off' : 'stopped';
}

/**
 * The pool's named state: `serving` when every slot serves, `degraded` when some do (the instance is
 * up as long as one server serves), `down` when none does while it should run, `given-up` when every
 * slot gave up.
 */
export function poolPhaseOf(state: SupervisorState): PoolPhase {
  if (state.goal === 'stop') return state.procs.length === 0 ? 'stopped' : 'stopping';
  const phases = state.slots.map((s) => slotPhaseOf(state, s.slot));
  if (phases.length > 0 && phases.every((p) => p === 'given-up')) return 'given-up';
  const serving = phases.filter((p) => p === 'serving' || p === 'replacing').length;
  if (serving === phases.length && serving > 0) return 'serving';
  if (serving > 0) return 'degraded';
  return phases.some((p) => p === 'starting') ? 'starting' : 'down';
}

/**
 * The events that move a state, as a reader names them: `crash` is an exit nobody asked for,
 * `crash-again` one that follows another crash with no healthy run between (backoff), `no-restart`
 * an exit with the no-restart code, `requested-exit` an exit tripod asked for, `crash-served` a crash
 * again, but of a server that served for the minimum uptime first (it is replaced at once, no backoff).
 */
export type TableEvent = 'start' | 'stop' | 'restart' | 'ready' | 'crash' | 'crash-again' | 'crash-served' | 'no-restart' | 'backoff-over' | 'requested-exit';

/** state × event → next state; an absent cell leaves the state as it is. */
export const TRANSITIONS: Readonly<Record<Phase, Partial<Record<TableEvent, Phase>>>> = {
  stopped: { start: 'starting', restart: 'starting' },
  stopping: { 'requested-exit': 'stopped', start: 'starting' },
  starting: { ready: 'serving', crash: 'starting', 'crash-again': 'backing-off', 'no-restart': 'given-up', stop: 'stopping' },
  serving: { restart: 'replacing', crash: 'starting', 'crash-again': 'backing-off', 'crash-served': 'starting', 'no-restart': 'given-up', stop: 'stopping' },
  replacing: { ready: 'serving', crash: 'serving', stop: 'stopping' },
  'backing-off': { 'backoff-over': 'starting', start: 'starting', restart: 'starting', stop: 'stopped' },
  'given-up': { start: 'starting', restart: 'starting', stop: 'stopped' },
};
