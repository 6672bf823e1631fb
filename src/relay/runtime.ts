import type { Context } from 'hono';
import { sweepOverdueCalls } from './call-ending.js';
import { forwardedAddress, socketAddress } from './security/client-ip.js';
import { originPolicy, type OriginPolicy } from './security/origin.js';
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
  verifyHuman: RelayOptions['verifyHuman'];
  /** The business's own numbers (every target's number and bridge): never dialled as a visitor. */
  ownNumbers: ReadonlySet<string>;
  /** The `Origin` check and CORS. */
  origins: OriginPolicy;
  /** The client's address, as the relay is set up to find it. */
  clientAddress: (c: Context) => string | undefined;
  /** Settles overdue calls now and then, from the first call on. */
  sweeper: { start(): void; stop(): void };
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
  const log = redactingLogger(options.logger ?? jsonLogger(), [
    settings.apiToken,
    settings.webhookSecret,
    settings.ticketSecret,
  ]);
  const rt: RelayRuntime = {
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
    verifyHuman: options.verifyHuman,
    origins: originPolicy(settings.allowedOrigins, settings.trustProxy),
    ownNumbers: new Set([
      settings.bridge,
      ...Object.values(settings.targets).flatMap((t) => [t.to, ...(t.bridge ? [t.bridge] : [])]),
    ]),
    clientAddress:
      options.clientIp ??
      ((c) => (settings.trustProxy > 0 ? forwardedAddress(c, settings.trustProxy) : socketAddress(c))),
    sweeper: { start() {}, stop() {} },
  };
  rt.sweeper = sweeper(() => sweepOverdueCalls(rt), settings.sweepIntervalMs, log);
  return rt;
}

// Started on demand rather than at creation: some runtimes (Workers) allow timers only
// while serving a request.
function sweeper(sweep: () => Promise<unknown>, intervalMs: number, log: Logger): RelayRuntime['sweeper'] {
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    start() {
      if (timer) return;
      timer = setInterval(() => {
        sweep().catch((err: unknown) =>
          log('error', 'sweep.failed', { reason: err instanceof Error ? err.message : String(err) }),
        );
      }, intervalMs);
      (timer as { unref?: () => void }).unref?.();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
