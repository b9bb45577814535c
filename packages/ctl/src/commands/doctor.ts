// tripod doctor: check what an instance needs, say how to fix each problem; exit 0 when all pass.
import type { CtlCommand } from '../command.js';
import { JSON_OPTION } from '../command.js';
import { ctlContext, instanceOf, knownListeners } from '../context.js';
import { CTL_EXIT } from '../exit-codes.js';
import type { CheckResult } from '../doctor/check.js';
import { checkControlSocket, checkLockFiles, checkLocking, checkLogDir, checkNode, checkProc, checkRuntimeDir } from '../doctor/checks.js';
import { checkPort } from '../doctor/ports.js';
import { acceptedDirOwners } from '../start/runtime-dir.js';
import { out, printJson } from '../output.js';

export const doctorCommand: CtlCommand = {
  command: 'doctor',
  describe: 'check the runtime directory, fcntl locks, /proc, the ports and stale files; say how to fix each problem',
  builder: (y) =>
    y.options({
      listen: { type: 'array', describe: 'HOST:PORT to check (default: the configured listeners, else those in status.json)' },
      ...JSON_OPTION,
    }),
  async run(argv) {
    const ctl = ctlContext(argv);
    const owners = acceptedDirOwners(ctl.config) ?? null;
    const dirCheck = checkRuntimeDir(ctl.config.runtimeDir, ctl.config.allowInsecureDirs, owners);
    const results: CheckResult[] = [checkNode(), dirCheck, checkLogDir(ctl.config.logDir, ctl.config.allowInsecureDirs, owners), await checkLocking(), ...checkProc()];
    const instance = instanceOf(ctl);
    if (dirCheck.ok) results.push(...(await checkLockFiles(ctl.paths, instance)), await checkControlSocket(ctl.paths));
    for (const listener of knownListeners(ctl)) results.push(await checkPort(listener, instance));
    const ok = results.every((r) => r.ok);
    if (argv.json) printJson({ ok, runtimeDir: ctl.config.runtimeDir, checks: results });
    else {
      for (const r of results) {
        out(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}: ${r.detail}`);
        if (r.fix) out(`      fix: ${r.fix}`);
      }
      out(ok ? 'all checks passed' : `${results.filter((r) => !r.ok).length} of ${results.length} checks failed`);
    }
    return ok ? CTL_EXIT.OK : CTL_EXIT.FAILURE;
  },
};
