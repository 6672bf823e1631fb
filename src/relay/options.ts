import * as z from 'zod';
import { isSupportedCountry } from 'libphonenumber-js/max';
import type { Context } from 'hono';
import type { Logger } from './logger.js';
import { DEFAULT_RATE_LIMITS, parseRateLimits, type RateLimits } from './security/rate-limits.js';
import type { CallStore } from './store/types.js';
import { parseBridge, targetsSchema, type Target, type TargetInput } from './targets.js';

/** Mobtexting's API base in every official client. */
export const DEFAULT_API_BASE = 'https://portal.mobtexting.com/api/v2/';

/** What Mobtexting reported about a call that ended, handed to {@link RelayOptions.onCallEnded}. */
export interface CallEndedReport {
  callId: string;
  target?: string;
  state: import('../protocol/index.js').FinalCallState;
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
  /** How often an idle event stream gets a keep-alive comment. Default 15,000 ms. */
  heartbeatMs?: number;
  /** How often calls whose report is overdue are settled as `unknown`. Default 30,000 ms. */
  sweepIntervalMs?: number;
  /** Where calls and events live. Default: this process's memory. */
  store?: CallStore;
  /** Where log lines go. Default: JSON lines on the console. */
  logger?: Logger;
  /** The `fetch` used to reach Mobtexting. */
  fetch?: typeof fetch;
  /** The clock, in epoch milliseconds. */
  now?: () => number;
  /** Called once per call when it ends, with the full report (recording URL included). */
  onCallEnded?: (report: CallEndedReport) => void | Promise<void>;
  /**
   * Origins whose pages may call (`https://www.example.com`): CORS is answered for them
   * and a `POST /calls` from any other page is refused. Same-origin pages need no entry.
   */
  allowedOrigins?: string[];
  /**
   * Rate limits as `ip=10/10m,number=3/1h,prefix=20/1h,target=200/1h,global=500/1h`
   * (the default), or `off`, or as an object (`{ number: { count: 3, windowMs: 3600000 } }`).
   */
  rateLimits?: string | RateLimits;
  /**
   * How many proxies you run in front of the relay: the client address is then read from
   * `X-Forwarded-For`. Default 0 (`false`): the socket's address.
   */
  trustProxy?: boolean | number;
  /** Finds the client's address where the socket is not visible (Cloudflare: `c.req.header('cf-connecting-ip')`). */
  clientIp?: (c: Context) => string | undefined;
  /**
   * Checks a human-check token (Cloudflare Turnstile, say) before any call; see
   * `turnstileVerifier`. Without it, no token is asked for.
   */
  verifyHuman?: (token: string, ip: string | undefined) => boolean | Promise<boolean>;
  /** How long an `Idempotency-Key` is remembered. Default 24 hours. */
  idempotencyTtlMs?: number;
  /** Enables signed CRM tickets (`createTicket`): the HS256 secret, at least 32 characters. */
  ticketSecret?: string;
}

const countryCode = z
  .string()
  .transform((c) => c.trim().toUpperCase())
  .superRefine((c, ctx) => {
    if (!isSupportedCountry(c)) ctx.addIssue({ code: 'custom', message: `"${c}" is not a known ISO country code` });
  });

const rateLimitsObject = z.partialRecord(
  z.enum(['ip', 'number', 'prefix', 'target', 'global']),
  z.strictObject({ count: z.number().int().min(1), windowMs: z.number().int().min(1000) }),
);

const settingsSchema = z.object({
  apiToken: z.string({ error: 'is required' }).min(8, 'must be the Mobtexting API token'),
  apiBase: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(DEFAULT_API_BASE)
    .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  bridge: z.unknown().transform((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is required' });
      return z.NEVER;
    }
    try {
      return parseBridge(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be the DID number with country code (e.g. 918067123456)' });
      return z.NEVER;
    }
  }),
  targets: targetsSchema,
  webhookSecret: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
  webhookId: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'must be a webhook id')
    .optional(),
  allowedCountries: z.array(countryCode).min(1, 'name at least one country').default(['IN']),
  upstreamTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  reportGraceMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600_000)
    .default(5 * 60_000),
  defaultCallMinutes: z.number().int().min(1).max(600).default(60),
  heartbeatMs: z.number().int().min(10).max(300_000).default(15_000),
  allowedOrigins: z
    .array(
      z.string().transform((origin, ctx) => {
        try {
          const url = new URL(origin.trim());
          if (/^https?:$/.test(url.protocol) && url.origin === origin.trim().replace(/\/$/, '')) return url.origin;
        } catch {
          // reported below
        }
        ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://www.example.com` });
        return z.NEVER;
      }),
    )
    .default([]),
  rateLimits: z
    .unknown()
    .optional()
    .transform((value, ctx): RateLimits => {
      if (value === undefined || typeof value === 'string') {
        const parsed = parseRateLimits(value ?? DEFAULT_RATE_LIMITS);
        if (parsed.ok) return parsed.limits;
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }
      const parsed = rateLimitsObject.safeParse(value);
      if (parsed.success) return parsed.data;
      ctx.addIssue({
        code: 'custom',
        message: 'must be like "number=3/1h", "off", or { number: { count, windowMs } }',
      });
      return z.NEVER;
    }),
  trustProxy: z
    .union([z.boolean(), z.number().int().min(0).max(10)])
    .default(0)
    .transform((v) => (v === true ? 1 : v === false ? 0 : v)),
  idempotencyTtlMs: z
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(86_400_000),
  ticketSecret: z.string().min(32, 'must be at least 32 characters').optional(),
  sweepIntervalMs: z.number().int().min(10).max(3600_000).default(30_000),
});

/** Relay settings after validation and defaults. */
export type RelaySettings = z.output<typeof settingsSchema> & { targets: Record<string, Target> };

/** Thrown by {@link createRelay} when its options are wrong; one problem per line. */
export class RelayConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Relay configuration is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RelayConfigError';
    this.problems = problems;
  }
}

/**
 * Validates the plain-data part of the options.
 *
 * @param describe names a setting in problem lines (e.g. `bridge` → `MT_BRIDGE`)
 */
export function validateSettings(
  options: Partial<Record<keyof RelayOptions, unknown>>,
  describe: (path: readonly PropertyKey[]) => string = (path) => path.join('.'),
): { ok: true; settings: RelaySettings } | { ok: false; problems: string[] } {
  const result = settingsSchema.safeParse(options);
  if (result.success) return { ok: true, settings: result.data as RelaySettings };
  return { ok: false, problems: result.error.issues.map((issue) => `${describe(issue.path)}: ${issueMessage(issue)}`) };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_key') return issue.issues[0]?.message ?? issue.message;
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const bound = issue.code === 'too_big' ? `at most ${String(issue.maximum)}` : `at least ${String(issue.minimum)}`;
    return issue.origin === 'number' ? `must be ${bound}` : issue.message;
  }
  return issue.message;
}
