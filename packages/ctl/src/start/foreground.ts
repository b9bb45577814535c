// `tripod start` without --daemon: the cop runs as ctl's child with the terminal as its stdio; ctl
// forwards the signals that mean something to the cop and exits with the cop's code.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { instanceIdFor, tierArgv, tierEnv } from '@tripod/core';
import type { Ctl } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import { copArguments } from './cop-args.js';

export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1'];

/** Runs the cop in the foreground; resolves with its exit code (128 + signal number when a signal ended it). */
export function startForeground(ctl: Ctl): Promise<number> {
  // Its own session: a terminal's Ctrl-C reaches ctl alone, which passes it on once. (Sent to both, the
  // second SIGINT would find the cop's handler already spent and kill it mid-drain.)
  const child = spawn(process.execPath, [...tierArgv('cop'), ...copArguments(ctl)], { stdio: 'inherit', detached: true, env: tierEnv(process.env, instanceIdFor(ctl.config.runtimeDir), 'cop') });
  const forwarders = FORWARDED_SIGNALS.map((sig) => {
    const forward = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    };
    process.on(sig, forward);
    return () => process.off(sig, forward);
  });
  return new Promise((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`tripod: cannot start the cop: ${err.message}\n`);
      resolve(CTL_EXIT.FAILURE);
    });
    child.once('exit', (code, signal) => {
      for (const off of forwarders) off();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
