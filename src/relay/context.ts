import type { Context } from 'hono';
import { CallLifecycle } from './calls/lifecycle.js';
import type { RelayOptions } from './config/options.js';
import { RelayConfigError, validateSettings, type RelaySettings } from './config/settings.js';
import { forwardedAddress, socketAddress } from './http/client-address.js';
import { jsonLogger, redactingLogger, type Logger } from './log.js';
import { MemoryCallStore } from './store/memory/memory-store.js';
import { fetchTransport } from './upstream/transport.js';
import type { CallStore } from './store/roles.js';

/** What the relay's routes and middleware work with, resolved once from its options. */
export interface RelayContext {
  settings: RelaySettings;
  store: CallStore;
  /** Starts, finds, ends and sweeps calls. */
  calls: CallLifecycle;
  log: Logger;
  now: () => number;
  /** The client's address, as the relay is set up to find it. */
  clientAddress: (c: Context) => string | undefined;
}

/**
 * Validates the options and builds what the routes share.
 *
 * @throws {RelayConfigError} listing every problem.
 */
export function createRelayContext(options: RelayOptions): RelayContext {
  const validated = validateSettings(options);
  if (!validated.ok) throw new RelayConfigError(validated.problems);
  const settings = validated.value;
  const now = options.now ?? Date.now;
  const secrets = [settings.apiToken, settings.webhookSecret, settings.ticketSecret];
  const log = redactingLogger(options.logger ?? jsonLogger(), secrets);
  const store = options.store ?? new MemoryCallStore({ now });
  const ownNumbers = Object.values(settings.targets).flatMap((t) => [t.to, ...(t.bridge ? [t.bridge] : [])]);
  const calls = new CallLifecycle({
    settings,
    store,
    log,
    now,
    upstream: {
      apiBase: settings.apiBase,
      token: settings.apiToken,
      timeoutMs: settings.upstreamTimeoutMs,
      transport: fetchTransport(options.fetch ?? globalThis.fetch.bind(globalThis)),
      log,
    },
    policy: { defaultCountry: settings.allowedCountries[0]!, allowedCountries: new Set(settings.allowedCountries) },
    ownNumbers: new Set([settings.bridge, ...ownNumbers]),
    ...(options.verifyHuman && { verifyHuman: options.verifyHuman }),
    ...(options.onCallEnded && { onCallEnded: options.onCallEnded }),
  });
  return {
    settings,
    store,
    calls,
    log,
    now,
    clientAddress:
      options.clientIp ??
      ((c) => (settings.trustProxy > 0 ? forwardedAddress(c, settings.trustProxy) : socketAddress(c))),
  };
}
