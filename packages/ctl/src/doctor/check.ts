// One doctor finding: what was checked, whether it passed, what was seen, and how to fix it.
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** What to do about it; null when it passed. */
  readonly fix: string | null;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail, fix: null });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, ok: false, detail, fix });
