// Loading the user's application: a module whose default export is a request handler `(req, res)`,
// or which exports `setup()` resolving to one (the server is ready only once setup resolves).
import { pathToFileURL } from 'node:url';
import { TripodError } from '@tripod/core/errors';
import { createBuiltinApp, type RequestHandler } from './builtin-app.js';

function isHandler(value: unknown): value is RequestHandler {
  return typeof value === 'function';
}

/** Loads the application module at `path` (null: the built-in application). */
export async function loadApp(path: string | null, staticDir: string | null): Promise<RequestHandler> {
  if (path === null) return createBuiltinApp(staticDir);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new TripodError('ERR_APP_LOAD', `application ${path} failed to load: ${(err as Error).message ?? err}`, { cause: err });
  }
  if (typeof mod.setup === 'function') {
    const handler: unknown = await (mod.setup as () => unknown)();
    if (isHandler(handler)) return handler;
    throw new TripodError('ERR_APP_LOAD', `application ${path}: setup() must resolve to a request handler (req, res)`);
  }
  const candidate = mod.default ?? mod.handler;
  if (isHandler(candidate)) return candidate;
  throw new TripodError('ERR_APP_LOAD', `application ${path} exports no request handler: export default function (req, res) or export async function setup()`);
}
