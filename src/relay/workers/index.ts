/**
 * The relay on Cloudflare Workers: `mt-click-to-call/relay/workers`. Its default export is
 * the Worker's fetch handler, which routes the relay's paths to one Durable Object,
 * {@link RelayObject}, bound as `RELAY`; the object keeps the relay's state in its own
 * SQLite storage. `npm run build` writes both as one Worker script,
 * `dist/workers/worker.js`, ready to deploy (see `examples/workers/`).
 *
 * @example
 * ```ts
 * // The Worker's main module, as it is, or with a subclass of RelayObject adding hooks.
 * export { default, RelayObject } from 'mt-click-to-call/relay/workers';
 * ```
 */
// Only the handler and the class: a Worker's module may export nothing else, so a site's
// script can re-export this module whole.
export { relayWorker as default } from './front.js';
export { RelayObject } from './relay-object.js';
export type { RelayWorkerEnv } from './environment.js';
