// Typed errors with permanent codes: callers branch on `code`, messages may change.

export const ERROR_CODES = {
  ERR_CONFIG_INVALID: 'a configuration value is invalid',
  ERR_RUNTIME_DIR_MISSING: 'the runtime directory does not exist',
  ERR_RUNTIME_DIR_NOT_WRITABLE: 'the runtime directory is not writable',
  ERR_LOCK_SYMLINK: 'a lock file is a symbolic link',
  ERR_LOCK_HELD: 'another live process holds the lock',
  ERR_LOCK_FAILED: 'the lock could not be taken',
  ERR_PORT_IN_USE: 'a listening port is already taken',
  ERR_BIND_FAILED: 'a listening socket could not be bound',
  ERR_APP_LOAD: 'the application module failed to load',
  ERR_CONTROL_TIMEOUT: 'the control socket did not answer in time',
  ERR_CONTROL_UNREACHABLE: 'the control socket could not be reached',
  ERR_CONTROL_PROTOCOL: 'the control socket sent something that is not a response',
  ERR_WIRE_INVALID: 'a message or document from another process does not match its contract',
  ERR_WIRE_VERSION: 'a document from another process has a schema version this reader does not know',
  ERR_WAIT_TIMEOUT: 'a condition waited for did not hold by its deadline',
  ERR_INTERNAL: 'an unexpected failure inside a tier (a bug): the message says what',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error every tripod component throws: a stable `code`, a message for people, an optional cause. */
export class TripodError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TripodError';
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** True when `err` is a TripodError, optionally of the given code. */
export function isTripodError(err: unknown, code?: ErrorCode): err is TripodError {
  return err instanceof TripodError && (code === undefined || err.code === code);
}

/** The `code` of a Node system error (`ENOENT`, `ESRCH`, …), or undefined. */
export function systemErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
