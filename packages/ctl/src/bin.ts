#!/usr/bin/env node
// tripod: the ops CLI. Commands, options and exit codes: docs/cli.md.
// The modules load dynamically so that a broken native module (fs-ext) is reported, not a stack trace.
import { hideBin } from 'yargs/helpers';
import { CTL_EXIT, ctlExitForError } from './exit-codes.js';

const loaded = await Promise.all([import('./cli.js'), import('@tripod/core')]).catch((err: Error) => {
  process.stderr.write(`tripod: cannot load its modules: ${err.message}\n  if fs-ext is named, rebuild it: npm rebuild fs-ext (needs a C++ toolchain and python3)\n`);
  process.exit(CTL_EXIT.FAILURE);
});
const [{ runCli, UsageError }, { runMain }] = loaded;

runMain('tripod', async () => {
  try {
    return await runCli(hideBin(process.argv));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`tripod: ${err.message}\n(tripod --help, or tripod <command> --help)\n`);
    return CTL_EXIT.USAGE;
  }
}, ctlExitForError, CTL_EXIT.FAILURE);
