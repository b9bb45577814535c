// One contract per process boundary: the messages each side sends and the parser that turns the
// other side's untrusted input into a typed value or a typed error. Both sides import these.
export * from './check.js';
export * from './server-ipc.js';
export * from './control.js';
export * from './manager-status.js';
export * from './cop-status.js';
export * from './heartbeat.js';
export * from './liveness.js';
export * from './keeper.js';
