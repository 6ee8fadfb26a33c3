import { executeOnSimHost } from '../sim/executeOnSimHost.js';
import type { SimHost } from '../sim/simHost.js';
import type { SimHandler } from './commandShell.js';

/**
 * What answers the operations a test SSH server receives: a simulated
 * host, or any handler (for tests that script the answers).
 *
 * @category testing
 */
export type SimBackend =
  | { readonly handler: SimHandler; readonly host?: undefined }
  | { readonly host: SimHost; readonly handler?: undefined };

/**
 * The handler for a backend: the given one, or `executeOnSimHost` on the
 * host.
 *
 * @category testing
 */
export const handlerOf = (backend: SimBackend): SimHandler =>
  backend.host !== undefined
    ? (request) => Promise.resolve(executeOnSimHost(backend.host, request))
    : backend.handler;
