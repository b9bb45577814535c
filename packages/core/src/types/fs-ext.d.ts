// The part of fs-ext tripod uses. Only the async fcntl works: fcntlSync(…, 'setlk') fails with EFAULT.
declare module 'fs-ext' {
  export const constants: { F_RDLCK: number; F_WRLCK: number; F_UNLCK: number };
  export function fcntl(fd: number, cmd: 'setlk' | 'getlk' | 'setlkw', arg: number, callback: (err: NodeJS.ErrnoException | null) => void): void;
  const fsExt: { constants: typeof constants; fcntl: typeof fcntl };
  export default fsExt;
}
