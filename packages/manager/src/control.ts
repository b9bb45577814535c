// The manager's control-socket commands.
// The request and reply shapes are core's wire/control.ts contract.
import type { AcceptedReply, ControlCommand, ControlHandler, ManagerStatus, PingReply, ReloadReply } from '@tripod/core';
import type { SupervisorEvent } from './supervisor.js';

export interface ControlTarget {
  status(): ManagerStatus;
  /** The ping answer, from memory only: no /proc reads on the heartbeat path. */
  ping(): PingReply;
  dispatch(event: SupervisorEvent): void;
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
