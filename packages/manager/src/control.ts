// The manager's control-socket commands.
// The request and reply shapes are core's wire/control.ts contract.
import type { ControlHandler } from '@tripod/core/control/server';
import { TripodError } from '@tripod/core/errors';
import type { AcceptedReply, ControlCommand, PingReply, ReloadReply, ScaleReply } from '@tripod/core/wire/control';
import type { ManagerStatus } from '@tripod/core/wire/manager-status';
import type { SupervisorEvent } from './supervisor.js';

export interface ControlTarget {
  status(): ManagerStatus;
  /** The ping answer, from memory only: no /proc reads on the heartbeat path. */
  ping(): PingReply;
  dispatch(event: SupervisorEvent): void;
  /** Grows or shrinks the pool to `size` servers now (the next reload sets it back to the configured `servers`). */
  scale(size: number): ScaleReply;
  reload(args?: Record<string, unknown>): Promise<ReloadReply>;
  shutdown(): void;
}

const accepted = (cmd: ControlCommand): AcceptedReply => ({ accepted: cmd });

/** Maps each control command to what it does on the manager. */
export function controlHandler(target: ControlTarget): ControlHandler {
  return async (request) => {
    switch (request.cmd) {
      case 'ping':
        return target.ping();
      case 'status':
        return target.status();
      case 'server-start':
        target.dispatch({ type: 'start' });
        return accepted('server-start');
      case 'server-stop':
        target.dispatch({ type: 'stop', graceful: false });
        return accepted('server-stop');
      case 'server-drain':
        target.dispatch({ type: 'stop', graceful: true });
        return accepted('server-drain');
      case 'server-restart':
        target.dispatch({ type: 'restart' });
        return accepted('server-restart');
      case 'server-scale': {
        const size = request.args?.size;
        if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 256) {
          throw new TripodError('ERR_CONFIG_INVALID', `invalid size: ${JSON.stringify(size)} (must be a whole number from 1 to 256)`, { details: { field: 'size', value: size } });
        }
        return target.scale(size);
      }
      case 'server-replace': {
        // The cop found this server wedged: its slot's successor starts now (the standby if ready), before the cop kills it.
        const pid = request.args?.pid;
        if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 1) {
          throw new TripodError('ERR_CONFIG_INVALID', `invalid pid: ${JSON.stringify(pid)}`, { details: { field: 'pid', value: pid } });
        }
        const reason = typeof request.args?.reason === 'string' ? request.args.reason : 'wedged';
        target.dispatch({ type: 'wedged', pid, reason });
        return accepted('server-replace');
      }
      case 'reload':
        return target.reload(request.args);
      case 'stop':
        target.shutdown();
        return accepted('stop');
      case 'metrics':
        return { status: target.status() };
    }
  };
}
