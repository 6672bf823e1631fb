import { isSupportedCountry } from 'libphonenumber-js/max';
import * as z from 'zod';
import { DEFAULT_API_BASE, type RelayOptions } from './options.js';
import type { ProxyTrust } from '../http/client-address.js';
import { LOCAL_NETWORKS, parseNetwork } from '../http/ip-address.js';
import { DEFAULT_RATE_LIMITS, DEFAULT_TICKET_RATE_LIMITS, parseRateLimits, type RateLimits } from './rate-limits.js';
import {
  DEFAULT_VERIFY_RATE_LIMITS,
  parseVerifyRateLimits,
  verifyRateLimitsObject,
  type VerifyRateLimits,
} from '../verify/limits.js';
import { didNumber, isVerifyTarget, targetsSchema, type Target } from './targets.js';

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

/**
 * Limits written as `number=3/1h,…` or `off` (read by `parse`), or as an object of the
 * form `objectForm` checks (`hint` shows it); `fallback` when not given.
 */
function limitsSchema<L>(
  fallback: string,
  parse: (spec: string) => { ok: true; limits: L } | { ok: false; problem: string },
  objectForm: z.ZodType<L, unknown>,
  hint: string,
) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): L => {
      if (value === undefined || typeof value === 'string') {
        const parsed = parse(value ?? fallback);
        if (parsed.ok) return parsed.limits;
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }
      const parsed = objectForm.safeParse(value);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: hint });
      return z.NEVER;
    });
}

/** Call limits as a string or an object; `fallback` when not given. */
const rateLimitsSchema = (fallback: string) =>
  limitsSchema<RateLimits>(
    fallback,
    parseRateLimits,
    rateLimitsObject,
    'must be like "number=3/1h", "off", or { number: { count, windowMs } }',
  );

/**
 * The plain-data options of `createRelay`, each on its own, validated, with defaults: the
 * one place each bound lives. {@link settingsSchema} adds the rules between them.
 */
export const settingsFields = z.object({
  apiToken: z.string({ error: 'is required' }).min(8, 'must be the Mobtexting API token'),
  apiBase: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(DEFAULT_API_BASE)
    .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  bridge: didNumber,
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
  bookingGraceMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600_000)
    .default(10 * 60_000),
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
  rateLimits: rateLimitsSchema(DEFAULT_RATE_LIMITS),
  ticketRateLimits: rateLimitsSchema(DEFAULT_TICKET_RATE_LIMITS).refine((limits) => limits.ip === undefined, {
    message: 'has no "ip" limit: tickets are counted by what they call, not by address',
  }),
  trustProxy: z
    .union([z.boolean(), z.number().int().min(0).max(10), z.array(z.string()).min(1)])
    .default(false)
    .transform((value, ctx): ProxyTrust | undefined => {
      if (value === false || value === 0) return undefined;
      if (typeof value === 'number') return { hops: value };
      const networks = (value === true ? LOCAL_NETWORKS : value).map((text) => [text, parseNetwork(text)] as const);
      const wrong = networks.find(([, network]) => !network);
      if (wrong) {
        ctx.addIssue({ code: 'custom', message: `"${wrong[0]}" is not an address or a network like 10.0.0.0/8` });
        return z.NEVER;
      }
      return { networks: networks.map(([, network]) => network!) };
    }),
  publicUrl: z
    .url({ protocol: /^https?$/, error: "must be the relay's public http(s) URL, e.g. https://www.example.com/c2c" })
    .transform((url) => new URL(url))
    .optional(),
  streamsPerAddress: z.number().int().min(1).max(100_000).default(32),
  streamsPerCall: z.number().int().min(1).max(1000).default(8),
  idempotencyKeysPerAddress: z.number().int().min(1).max(10_000_000).default(1000),
  idempotencyTtlMs: z
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(86_400_000),
  ticketSecret: z.string().min(32, 'must be at least 32 characters').optional(),
  sweepIntervalMs: z.number().int().min(10).max(3600_000).optional(),
  historyDays: z.number().int().min(0).max(3650).default(90),
  verifyRateLimits: limitsSchema<VerifyRateLimits>(
    DEFAULT_VERIFY_RATE_LIMITS,
    parseVerifyRateLimits,
    verifyRateLimitsObject,
    'must be like "number=3/15m,number=10/1d", "off", or { number: [{ count, windowMs }] }',
  ),
  verifiedTokenTtlSeconds: z.number().int().min(60).max(86_400).default(1800),
});

/**
 * Rules between settings: verifying numbers signs tokens with the ticket secret, so a
 * verify target, or one requiring a verified number, needs it.
 */
export function settingsAgree(
  settings: { targets: Record<string, Target>; ticketSecret?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  const verifying = Object.values(settings.targets).some((t) => isVerifyTarget(t) || t.requireVerified !== undefined);
  if (verifying && settings.ticketSecret === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'is required to verify numbers: it signs the tokens a right code earns',
      path: ['ticketSecret'],
    });
  }
}

/** The plain-data options of `createRelay`, validated, with defaults. */
export const settingsSchema = settingsFields.superRefine(settingsAgree);

/** Relay settings after validation and defaults. */
export type RelaySettings = z.output<typeof settingsSchema>;

/** Thrown by {@link createRelay} when its options are wrong; one problem per line. */
export class RelayConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Relay configuration is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RelayConfigError';
    this.problems = problems;
  }
}

/** Validation's outcome: the value, or one line per problem. */
export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Validates input with a schema, describing every problem in a line of its own.
 *
 * @param describe names a setting in problem lines (e.g. `bridge` → `MT_BRIDGE`)
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  describe: (path: readonly PropertyKey[]) => string = (path) => path.join('.'),
): Validated<z.output<S>> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => `${describe(issue.path)}: ${issueMessage(issue)}`) };
}

/** Validates the plain-data part of `createRelay`'s options. */
export function validateSettings(options: Partial<Record<keyof RelayOptions, unknown>>): Validated<RelaySettings> {
  return validate(settingsSchema, options);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined)
    return 'is required';
  if (issue.code === 'invalid_key') return issue.issues[0]?.message ?? issue.message;
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const bound = issue.code === 'too_big' ? `at most ${String(issue.maximum)}` : `at least ${String(issue.minimum)}`;
    return issue.origin === 'number' ? `must be ${bound}` : issue.message;
  }
  return issue.message;
}
