// @tripod/chaos: the load generator and the chaos harness.
export * from './load/outcome.js';
export * from './load/client.js';
