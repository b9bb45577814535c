// Module hooks for trace-preload.mjs: reports every module URL as it is loaded, with the wall time.
let port = null;

export function initialize(data) {
  port = data.port;
}

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  port?.postMessage({ url, at: performance.timeOrigin + performance.now() });
  return result;
}
