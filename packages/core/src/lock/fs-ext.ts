/** fs-ext, loaded on first use: loading its native module costs a restarting server start-up time. */
export async function loadFsExt(): Promise<typeof import('fs-ext').default> {
  return (await import('fs-ext')).default;
}
