// One check cycle at a time, pure. A cycle is asked for by the loop's timer and after a manager's
// death; asked for while one runs, it runs once more right after (requests coalesce), never alongside.
//
//   gate \ event | request                      | finished
//   -------------+------------------------------+---------------------------
//   idle         | running; run a cycle         | idle
//   running      | running-again                | idle
//   running-again| running-again                | running; run a cycle

export type CycleGate = 'idle' | 'running' | 'running-again';
export type GateEvent = 'request' | 'finished';

/** The next gate and whether a cycle starts now. */
export function stepGate(gate: CycleGate, event: GateEvent): { gate: CycleGate; run: boolean } {
  if (event === 'request') return gate === 'idle' ? { gate: 'running', run: true } : { gate: 'running-again', run: false };
  return gate === 'running-again' ? { gate: 'running', run: true } : { gate: 'idle', run: false };
}
