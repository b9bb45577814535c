// Starting the manager: its own process group, the listening fds at 3, 4, …, the instance's environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { tierArgv } from '@tripod/core/binaries';
import type { TripodConfig } from '@tripod/core/config/config';
import { resolveServiceUser } from '@tripod/core/config/service-user';
import { tierEnv } from '@tripod/core/instance';

/** Spawns tripod-manager with the bound listener fds (as the service user with `--user`); the caller watches its exit. */
export function spawnManager(config: TripodConfig, instance: string, fds: readonly number[]): ChildProcess {
  const args = [...tierArgv('manager'), '--config-json', JSON.stringify(config), '--inherited-fds', String(fds.length)];
  // setgid, setgroups([]) and setuid happen in the child before exec (libuv): no root is left in it.
  const user = config.user === null ? null : resolveServiceUser(config.user, config.group);
  return spawn(process.execPath, args, {
    ...(user === null ? {} : { uid: user.uid, gid: user.gid }),
    cwd: config.runtimeDir,
    detached: true, // its own group: a terminal's Ctrl-C reaches the cop only, and the cop decides
    stdio: ['ignore', 'inherit', 'inherit', ...fds],
    env: tierEnv(process.env, instance, 'manager'),
  });
}
