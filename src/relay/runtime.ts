import { jsonLogger, redactingLogger, type Logger } from './logger.js';
import type { MobtextingClientOptions } from './mobtexting.js';
import { RelayConfigError, validateSettings, type RelayOptions, type RelaySettings } from './options.js';
import type { PhonePolicy } from './phone.js';
import { MemoryCallStore } from './store/memory.js';
import type { CallStore } from './store/types.js';

/** Everything a relay's routes share, resolved once from its options. */
export interface RelayRuntime {
  settings: RelaySettings;
  store: CallStore;
  log: Logger;
  now: () => number;
  client: MobtextingClientOptions;
  policy: PhonePolicy;
  onCallEnded: RelayOptions['onCallEnded'];
}

/**
 * Validates the options and fills in defaults.
 *
 * @throws {RelayConfigError} listing every problem.
 */
export function createRuntime(options: RelayOptions): RelayRuntime {
  const validated = validateSettings(options);
  if (!validated.ok) throw new RelayConfigError(validated.problems);
  const settings = validated.settings;
  const now = options.now ?? Date.now;
  const log = redactingLogger(options.logger ?? jsonLogger(), [settings.apiToken, settings.webhookSecret]);
  return {
    settings,
    store: options.store ?? new MemoryCallStore({ now }),
    log,
    now,
    client: {
      apiBase: settings.apiBase,
      token: settings.apiToken,
      timeoutMs: settings.upstreamTimeoutMs,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      log,
    },
    policy: { defaultCountry: settings.allowedCountries[0]!, allowedCountries: new Set(settings.allowedCountries) },
    onCallEnded: options.onCallEnded,
  };
}
