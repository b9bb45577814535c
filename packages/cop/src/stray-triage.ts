// What the cop does with each stray (a manager or server of this instance that holds no lock the cop
// trusts), pure. One table for the three moments it finds them:
//
//   when \ stray     | server holding server.lock     | other server                          | manager
//   -----------------+--------------------------------+---------------------------------------+---------------------
//   cop-start        | kill (drain grace)             | kill (drain grace)                    | kill (drain grace)
//   manager-start,   | leave: the next manager drains | drain in the background (drain grace) | kill (kill grace)
//    cop holds sockets| it once its own server is ready|                                      |
//   manager-start,   | kill (drain grace)             | kill (drain grace)                    | kill (kill grace)
//    no sockets      |  (every stray must go before the cop can bind)                         |
//   instance-stop    | kill (stop grace)              | kill (stop grace)                     | kill (stop grace)
//
// A kill waits for the stray to be gone; a background drain does not (the next manager starts at once).
// Kills at manager start are counted in cop-status.json (kills.<tier>.stray).
import type { TripodConfig } from '@tripod/core/config/config';
import type { Tier } from '@tripod/core/paths';

export type StrayMoment = 'cop-start' | 'manager-start' | 'instance-stop';

export interface Stray {
  readonly pid: number;
  readonly tier: Tier;
}

export interface TriageContext {
  readonly moment: StrayMoment;
  /** The cop holds the listening sockets, so an orphaned server may keep serving meanwhile. */
  readonly holdsSockets: boolean;
  /** The PIDs holding a server slot lock (server.lock, server.<k>.lock): each serves its slot. */
  readonly serverHolders: readonly number[];
  readonly config: Pick<TripodConfig, 'drainTimeoutMs' | 'killGraceMs'>;
}

export type StrayPlan =
  | { readonly action: 'leave'; readonly event: 'stray.left-for-handover' }
  | { readonly action: 'drain'; readonly reason: string; readonly graceMs: number; readonly counted: true }
  | { readonly action: 'kill'; readonly reason: string; readonly graceMs: number; readonly counted: boolean };

/** How long stopping the instance waits for a tier: its drain, then two kill graces, and a second. */
export function stopGraceMs(config: Pick<TripodConfig, 'drainTimeoutMs' | 'killGraceMs'>): number {
  return config.drainTimeoutMs + 2 * config.killGraceMs + 1000;
}

/** The plan for one stray. */
export function triageStray(stray: Stray, ctx: TriageContext): StrayPlan {
  const { config } = ctx;
  switch (ctx.moment) {
    case 'cop-start':
      return { action: 'kill', reason: `stray ${stray.tier} at cop start`, graceMs: config.drainTimeoutMs, counted: false };
    case 'instance-stop':
      return { action: 'kill', reason: 'instance stop', graceMs: stopGraceMs(config), counted: false };
    case 'manager-start':
      if (stray.tier === 'server' && ctx.holdsSockets) {
        // The orphan still serves: the next manager lets it drain once its own server is ready.
        if (ctx.serverHolders.includes(stray.pid)) return { action: 'leave', event: 'stray.left-for-handover' };
        return { action: 'drain', reason: 'stray server (its manager is gone)', graceMs: config.drainTimeoutMs, counted: true };
      }
      return { action: 'kill', reason: `stray ${stray.tier}`, graceMs: stray.tier === 'server' ? config.drainTimeoutMs : config.killGraceMs, counted: true };
  }
}
