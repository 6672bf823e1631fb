/**
 * The operator's console: `mt-click-to-call/relay/console`. Off unless given to
 * `createRelay`; then `GET /console` serves a page, built with Lit like the widget, that
 * shows calls under way, the history (filters, CSV export), charts, refusals and
 * booked callbacks, to whoever signs in with the token.
 *
 * @example
 * ```ts
 * import { createRelay } from 'mt-click-to-call/relay';
 * import { relayConsole } from 'mt-click-to-call/relay/console';
 *
 * app.route('/c2c', createRelay({ ...options, console: relayConsole({ token: process.env.MT_CONSOLE_TOKEN! }) }));
 * ```
 */
import { Hono } from 'hono';
import type { RelayAddOn } from '../add-on.js';
import { RelayConfigError } from '../config/settings.js';
import { RelayError } from '../errors.js';
import { respond, type RelayEnv } from '../http/respond.js';
import { MIN_TOKEN_LENGTH } from '../metrics/token.js';
import { keepsHistory, keepsSessions } from '../store/history.js';
import { consoleApi } from './api.js';
import { basePath } from './session.js';
import { CONSOLE_CSP, CONSOLE_CSS, CONSOLE_ICON, consolePage } from './page.js';

/** Options of {@link relayConsole}. */
export interface ConsoleOptions {
  /** What the operator signs in with: at least 24 characters. */
  token: string;
  /**
   * The console's script (`dist/console/console.js`, built by `npm run build`). Default:
   * the copy built into this package beside this module.
   */
  script?: () => Promise<string>;
  /**
   * Withdraws a booked callback; default: the relay's own (`calls.withdraw`, as
   * `DELETE /calls/:callId` does). Answers the call's state afterwards.
   */
  withdraw?: (callId: string) => Promise<{ state: string }>;
}

/** The script built into the package, when it was built (a module written by `npm run build`). */
async function builtScript(): Promise<string> {
  const name = './console-script.js';
  const module = (await import(/* @vite-ignore */ name)) as { default: string };
  return module.default;
}

/**
 * The console add-on: `GET /console` (the page), its script and style, and its API under
 * `/console/api`. Needs a store that keeps history and sessions (every built-in one does).
 *
 * @throws {RelayConfigError} when the token is too short.
 */
export function relayConsole(options: ConsoleOptions): RelayAddOn {
  const { token } = options;
  if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH) {
    throw new RelayConfigError([`console token: must be at least ${MIN_TOKEN_LENGTH} characters`]);
  }
  let script: Promise<string> | undefined;
  return {
    path: '/console',
    secrets: [token],
    attach(relay) {
      const { store } = relay;
      if (!keepsHistory(store) || !keepsSessions(store)) {
        throw new RelayConfigError(['console: the store keeps no history; use a built-in store']);
      }
      const app = new Hono<RelayEnv>();
      app.get('/', (c) =>
        respond(c, consolePage(basePath(c)), 200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': CONSOLE_CSP,
          'Referrer-Policy': 'no-referrer',
        }),
      );
      app.get('/icon.svg', (c) => respond(c, CONSOLE_ICON, 200, { 'Content-Type': 'image/svg+xml' }));
      app.get('/console.css', (c) => respond(c, CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
      app.get('/console.js', async (c) => {
        script ??= (options.script ?? builtScript)().catch((err: unknown) => {
          script = undefined;
          relay.log('error', 'console.script_missing', { reason: err instanceof Error ? err.message : String(err) });
          throw new RelayError('not_found', 'The console’s script is not built: run npm run build.');
        });
        return respond(c, await script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      });
      app.route(
        '/api',
        consoleApi({
          relay,
          store,
          token,
          history: store,
          withdraw: options.withdraw ?? ((callId) => relay.calls.withdraw(callId)),
        }),
      );
      return { routes: app };
    },
  };
}
