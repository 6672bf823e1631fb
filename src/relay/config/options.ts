import type { Context } from 'hono';
import type { FinalCallState } from '../../protocol/index.js';
import type { RelayAddOn } from '../add-on.js';
import type { Logger } from '../log.js';
import type { CallStore } from '../store/roles.js';
import type { StreamResponder } from '../http/event-sink.js';
import type { UpstreamTransport } from '../upstream/transport.js';
import type { VerifyRateLimits } from '../verify/limits.js';
import type { RateLimits } from './rate-limits.js';
import type { TargetInput } from './targets.js';

/** Mobtexting's API base in every official client. */
export const DEFAULT_API_BASE = 'https://portal.mobtexting.com/api/v2/';

/** What Mobtexting reported about a call that ended, handed to {@link RelayOptions.onCallEnded}. */
export interface CallEndedReport {
  callId: string;
  target?: string;
  state: FinalCallState;
  /** The legs as dialled: full numbers, for the site's own records. */
  from: string;
  to: string;
  bridge: string;
  talkSeconds?: number;
  /** Valid for about two hours after the call. */
  recordingUrl?: string;
  /** The webhook body as received (absent when the call timed out to `unknown`). */
  report?: Record<string, unknown>;
}

/** Options of {@link createRelay}. */
export interface RelayOptions {
  /** Mobtexting API token. It never leaves the relay. */
  apiToken: string;
  /** Default `https://portal.mobtexting.com/api/v2/`; calls go to `${apiBase}voice/c2c`. */
  apiBase?: string;
  /** The DID number calls go out on. */
  bridge: string;
  /** Whom pages may have called, by name. */
  targets: Record<string, TargetInput>;
  /** The Mobtexting webhook's secret: completion reports must carry it. */
  webhookSecret: string;
  /** Sent as `webhook_id` with each call, when set. */
  webhookId?: string;
  /** ISO codes whose numbers may be dialled. Default `['IN']`; the first is assumed for numbers without `+`. */
  allowedCountries?: string[];
  /** How long to wait for Mobtexting's answer. Default 10,000 ms. */
  upstreamTimeoutMs?: number;
  /**
   * How long after a call's longest possible duration to wait for its report before
   * calling it `unknown`. Default 5 minutes.
   */
  reportGraceMs?: number;
  /** Longest call assumed for targets without `duration`, in minutes. Default 60. */
  defaultCallMinutes?: number;
  /**
   * How late a booked callback may still be dialled: one whose time passed while no relay
   * ran is dialled if it is late by less than this, and otherwise ends `missed`. Default
   * 10 minutes.
   */
  bookingGraceMs?: number;
  /** How often an idle event stream gets a keep-alive comment. Default 15,000 ms. */
  heartbeatMs?: number;
  /**
   * When set, the relay sweeps every so many milliseconds, on a timer of its own: it dials
   * the booked callbacks whose time came and settles calls whose report is overdue (as
   * `unknown`). For long-lived servers (Node, Bun, Deno); a callback is dialled within one
   * interval of its time. Unset by default: call `relay.sweep()` from a timer, an alarm or
   * a Cron Trigger instead.
   */
  sweepIntervalMs?: number;
  /** Where calls and events live. Default: this process's memory. */
  store?: CallStore;
  /** Where log lines go. Default: JSON lines on the console. */
  logger?: Logger;
  /** The `fetch` used to reach Mobtexting (when no `transport` is given). */
  fetch?: typeof fetch;
  /**
   * How the relay reaches Mobtexting. Default: `fetch`, on any runtime. The Node server
   * uses undici's keep-alive client, which costs a fraction of `fetch`'s CPU.
   */
  transport?: UpstreamTransport;
  /** The clock, in epoch milliseconds. */
  now?: () => number;
  /** Called once per call when it ends, with the full report (recording URL included). */
  onCallEnded?: (report: CallEndedReport) => void | Promise<void>;
  /**
   * Origins whose pages may call (`https://www.example.com`): CORS is answered for them
   * and a request from any other page is refused. Pages on `publicUrl`'s origin need no
   * entry; the relay never takes its own origin from a request's `Host`.
   */
  allowedOrigins?: string[];
  /**
   * Where browsers reach the relay (`https://www.example.com/c2c`). Its origin is the
   * relay's own (same-origin pages may call), and a page request whose `Host` is not its
   * host is refused (DNS rebinding). Set it whenever the relay is reachable from the web.
   */
  publicUrl?: string;
  /**
   * Rate limits as `ip=10/10m,number=3/1h,prefix=20/1h,target=200/1h,global=500/1h`
   * (the default), or `off`, or as an object (`{ number: { count: 3, windowMs: 3600000 } }`).
   */
  rateLimits?: string | RateLimits;
  /**
   * The budgets of calls with signed tickets, apart from the public ones:
   * `number=10/1h,target=2000/1h,global=5000/1h` by default; no `ip` limit.
   */
  ticketRateLimits?: string | RateLimits;
  /**
   * Which proxies in front of the relay are believed about the client's address (from
   * `X-Forwarded-For`): their addresses or networks (`['10.0.0.0/8']`), `true` for
   * loopback and private networks, or a number of hops (trusted whoever connects: only
   * when the relay cannot be reached but through them). Default `false`: the socket's
   * address.
   */
  trustProxy?: boolean | number | string[];
  /**
   * How loaded the server hosting the relay is: its open connections and the most it
   * takes. `/health` answers 503 `saturated` near the limit. The Node server sets it.
   */
  load?: () => { connections: number; maxConnections: number };
  /**
   * How event streams are written to clients. Default: through a `ReadableStream`, on any
   * runtime. The Node server writes straight to the response (`nodeStreamResponder`).
   */
  respondWithStream?: StreamResponder;
  /** Most event streams open at once from one client address. Default 32. */
  streamsPerAddress?: number;
  /** Most event streams open at once on one call. Default 8. */
  streamsPerCall?: number;
  /** Most `Idempotency-Key`s one client address may hold within their lifetime. Default 1,000. */
  idempotencyKeysPerAddress?: number;
  /** Finds the client's address where the socket is not visible (Cloudflare: `c.req.header('cf-connecting-ip')`). */
  clientIp?: (c: Context) => string | undefined;
  /**
   * Checks a human-check token (Cloudflare Turnstile, say) before any call; see
   * `turnstileVerifier`. Without it, no token is asked for.
   */
  verifyHuman?: (token: string, ip: string | undefined) => boolean | Promise<boolean>;
  /** How long an `Idempotency-Key` is remembered. Default 24 hours. */
  idempotencyTtlMs?: number;
  /**
   * Enables signed CRM tickets (`createTicket`): the HS256 secret, at least 32 characters.
   * It also signs the tokens a verified number earns, so verify targets need it.
   */
  ticketSecret?: string;
  /**
   * How many days each call, booking and verification keeps its history row (what the
   * operator's console shows), in the store. Default 90; 0 keeps none.
   */
  historyDays?: number;
  /**
   * The operator's console at `/console`: `relayConsole({ token })` from
   * `mt-click-to-call/relay/console`. Off unless given.
   */
  console?: RelayAddOn;
  /**
   * Prometheus metrics at `/metrics`: `relayMetrics({ token })` from
   * `mt-click-to-call/relay/metrics`. Off unless given.
   */
  metrics?: RelayAddOn;
  /**
   * The limits of number verification, apart from the calls' own:
   * `number=3/15m,number=10/1d,ip=10/1h,prefix=20/1h,global=500/1h,guesses=10/1h` by
   * default (a scope may have several windows; `guesses` counts codes tried from one
   * address across verifications), `off`, or `{ number: [{ count, windowMs }], … }`.
   */
  verifyRateLimits?: string | VerifyRateLimits;
  /** How long the token a right code earns is accepted, in seconds. Default 1,800 (30 minutes). */
  verifiedTokenTtlSeconds?: number;
}
