// ms to import one module specifier in a fresh process (after node's own start-up). usage: node import-cost.js SPEC
const t0 = performance.now();
await import(process.argv[2] ?? '');
process.stdout.write(`${performance.now() - t0}\n`);
