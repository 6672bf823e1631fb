/**
 * The relay: the server piece that alone holds the Mobtexting API token.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { createRelay } from 'mt-click-to-call/relay';
 *
 * const app = new Hono();
 * const relay = createRelay({ apiToken, bridge, targets, webhookSecret, sweepIntervalMs: 30_000 });
 * app.route('/c2c', relay);
 * ```
 */
export { createRelay, type Relay } from './create-relay.js';
export { DEFAULT_API_BASE, type RelayOptions, type CallEndedReport } from './config/options.js';
export { RelayConfigError } from './config/settings.js';
export { RelayError } from './errors.js';
export type { Target, TargetInput } from './config/targets.js';
export { jsonLogger, silentLogger, type Logger, type LogLevel, type LogFields } from './log.js';
export { MemoryCallStore, type MemoryStoreOptions } from './store/memory/memory-store.js';
export type { CallRecord, CallEvent, CallEventData, CallEnding, CallLegs } from './calls/record.js';
export type * from './store/roles.js';
export { StoreUnavailableError } from './store/unavailable.js';
export { turnstileVerifier, type TurnstileOptions } from './calls/turnstile.js';
export {
  DEFAULT_RATE_LIMITS,
  parseRateLimits,
  type RateLimits,
  type RateLimit,
  type LimitScope,
} from './config/rate-limits.js';
export { createTicket, type CreateTicketOptions, type TicketClaims } from './calls/tickets.js';
export {
  verifyNumberToken,
  type VerifiedNumber,
  type VerifyNumberTokenOptions,
  DEFAULT_VERIFY_RATE_LIMITS,
  parseVerifyRateLimits,
  type VerifyRateLimits,
  type VerifyLimitScope,
} from './verify/index.js';
