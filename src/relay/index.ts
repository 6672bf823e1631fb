/**
 * The relay: the server piece that alone holds the Mobtexting API token.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { createRelay } from 'mt-click-to-call/relay';
 *
 * const app = new Hono();
 * app.route('/c2c', createRelay({ apiToken, bridge, targets, webhookSecret }));
 * ```
 */
export { createRelay, type Relay } from './create-relay.js';
export { RelayConfigError, DEFAULT_API_BASE, type RelayOptions, type CallEndedReport } from './options.js';
export { RelayError } from './errors.js';
export type { Target, TargetInput } from './targets.js';
export { jsonLogger, silentLogger, type Logger, type LogLevel, type LogFields } from './logger.js';
export { MemoryCallStore, type MemoryStoreOptions } from './store/memory.js';
export type {
  CallStore,
  CallRecord,
  CallEvent,
  CallEnding,
  CallLegs,
  LimitRule,
  LimitOutcome,
  IdempotencyState,
  StoredAnswer,
} from './store/types.js';
export { turnstileVerifier, type TurnstileOptions } from './security/turnstile.js';
export {
  DEFAULT_RATE_LIMITS,
  parseRateLimits,
  type RateLimits,
  type RateLimit,
  type LimitScope,
} from './security/rate-limits.js';
export { createTicket, type CreateTicketOptions, type TicketClaims } from './tickets.js';
