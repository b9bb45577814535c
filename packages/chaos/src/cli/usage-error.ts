// A command line yargs refused (unknown flag, missing value): tripod-chaos prints it with a pointer to
// --help and exits CHAOS_EXIT.USAGE. Decided by this type, never by matching yargs' message text.
export class ChaosUsageError extends Error {
  override readonly name = 'ChaosUsageError';
}
