// The sampling loop: a sample every period (a /proc scan every SCAN_EVERY-th), fed to the pure checks.
import { checkAfterStop, checkSample, INITIAL_CHECK_STATE, type CheckState } from '../analysis/invariants.js';
import type { Violation } from '../analysis/invariant-names.js';
import type { Phase } from '../analysis/sample.js';
import { takeSample, type SamplerContext } from './sampler.js';

/** One sample in this many includes the /proc scan (it blocks ~20 ms per 600 processes). */
export const SCAN_EVERY = 4;

export class Sampling {
  phase: Phase = 'starting';
  fault: number | null = null;
  private state: CheckState = INITIAL_CHECK_STATE;
  private timer: NodeJS.Timeout | null = null;
  private n = 0;
  private scans = 0;

  constructor(private readonly ctx: SamplerContext, private readonly periodMs: number, private readonly onViolation: (v: Violation) => void) {}

  get counts(): { count: number; scans: number } {
    return { count: this.n, scans: this.scans };
  }

  /** Zombies seen lingering under a parent outside the instance and the harness. */
  get orphanZombies(): number {
    return this.state.orphanZombies.length;
  }

  start(): void {
    this.timer = setInterval(() => this.once(), this.periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.once(true);
  }

  /** Takes one sample now and checks it. */
  once(scan = this.n % SCAN_EVERY === 0): void {
    const sample = takeSample(this.ctx, this.phase, this.fault, scan);
    this.n++;
    if (scan) this.scans++;
    const result = checkSample(this.state, sample);
    this.state = result.state;
    for (const v of result.violations) this.onViolation(v);
  }

  /** The after-stop check on a fresh scanned sample. */
  checkAfterStop(): void {
    const sample = takeSample(this.ctx, this.phase, null, true);
    this.n++;
    this.scans++;
    for (const v of checkAfterStop(sample)) this.onViolation(v);
  }
}
