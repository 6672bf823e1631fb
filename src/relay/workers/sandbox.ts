import { Hono } from 'hono';
import type { RelayOptions } from '../config/options.js';
import type { Logger } from '../log.js';
import { createSandbox } from '../../sandbox/create-sandbox.js';

/** Where the relay and its sandbox say they are to each other: nothing is fetched there. */
const SANDBOX_ORIGIN = 'https://sandbox.invalid';
const RELAY_ORIGIN = 'https://relay.invalid';

/**
 * The built-in simulator as the upstream of a relay that has no `MT_API_TOKEN`, inside the
 * Durable Object: the relay asks it for calls and it reports them to the relay's webhook,
 * both in-process, so nothing is dialled and nothing leaves the object. Its token and
 * webhook secret are made fresh each time the object starts. A report it has not sent
 * when the object is evicted is lost; the alarm then settles that call as `unknown`.
 */
export function sandboxUpstream(
  relay: () => { fetch(request: Request): Response | Promise<Response> },
  basePath: string,
  delayMs: number,
  log: Logger,
): Pick<RelayOptions, 'apiToken' | 'apiBase' | 'webhookSecret' | 'fetch'> {
  const apiToken = crypto.randomUUID();
  const webhookSecret = crypto.randomUUID();
  const sandbox = createSandbox({
    token: apiToken,
    webhookSecret,
    webhookUrl: `${RELAY_ORIGIN}${basePath}/webhooks/mobtexting`,
    delayMs,
    fetch: async (input, init) => relay().fetch(new Request(input, init)),
    onDelivery: (d) => {
      if (d.status !== 200 && d.status !== 202) {
        log('warn', 'sandbox.delivery_failed', { status: d.status, error: d.error });
      }
    },
  });
  const api = new Hono().route('/api/v2', sandbox.app);
  return {
    apiToken,
    webhookSecret,
    apiBase: `${SANDBOX_ORIGIN}/api/v2/`,
    fetch: async (input, init) => api.fetch(new Request(input, init)),
  };
}
