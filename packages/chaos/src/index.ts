// @tripod/chaos: the load generator and the chaos harness's pure parts (schedule, attribution,
// invariant checks, summary, rendering), for tests and benchmarks.
export * from './load/outcome.js';
export * from './load/client.js';
export * from './schedule/schedule.js';
export * from './faults/fault.js';
export * from './analysis/invariant-names.js';
export * from './analysis/attribution.js';
export * from './analysis/invariants.js';
export * from './analysis/summary.js';
export * from './report/model.js';
