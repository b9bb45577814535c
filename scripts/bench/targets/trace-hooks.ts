// Module hooks for trace-preload.js: reports every module URL as it is loaded, with the wall time.
import type { LoadHook } from 'node:module';
import type { MessagePort } from 'node:worker_threads';

let port: MessagePort | null = null;

export function initialize(data: { port: MessagePort }): void {
  port = data.port;
}

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context);
  port?.postMessage({ url, at: performance.timeOrigin + performance.now() });
  return result;
};
