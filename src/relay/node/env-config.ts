import { readFileSync } from 'node:fs';
import * as z from 'zod';
import type { RelayOptions } from '../config/options.js';
import { settingsAgree, settingsFields, settingsSchema, validate, type RelaySettings } from '../config/settings.js';
import { DAY_NAMES } from '../scheduling/hours.js';
import { weekdayOf, zoneClock } from '../scheduling/zone.js';

/** The settings the built-in sandbox provides itself: where the API is and its secrets. */
const UPSTREAM_KEYS = { apiToken: true, apiBase: true, webhookSecret: true, webhookId: true } as const;

/** Relay settings without the upstream's: what a sandbox relay is configured with. */
const sandboxSettingsSchema = settingsFields.omit(UPSTREAM_KEYS).superRefine(settingsAgree);

/** The relay's settings in sandbox mode: the sandbox supplies the API token, base and webhook secret. */
export type SandboxSettings = z.output<typeof sandboxSettingsSchema>;

/**
 * Whom the relay talks to: Mobtexting itself (`live`, with `MT_API_TOKEN`), or the built-in
 * simulator (`sandbox`, when no token is set: nothing is dialled).
 */
export type RelayMode = (
  | { mode: 'live'; settings: RelaySettings }
  | {
      mode: 'sandbox';
      settings: SandboxSettings;
      /** How long the sandbox waits before reporting a call. */
      delayMs: number;
    }
) & {
  /** The options as read, for `createRelay` (which validates them with the same schema). */
  options: Partial<Record<keyof RelayOptions, unknown>>;
};

/**
 * Where the server keeps calls, limits and events (`MT_STORE`): in this process's memory
 * (lost on restart), in one SQLite file (the default: one process, survives restarts), or
 * in Redis (shared by several instances).
 */
export type StoreChoice = { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string };

/** The store when neither `MT_STORE` nor `REDIS_URL` is set: a file under the working directory. */
export const DEFAULT_STORE: StoreChoice = { kind: 'sqlite', path: './.mt-c2c/relay.db' };

/** Everything `mt-c2c-relay` reads from its environment, validated. */
export type ServerConfig = RelayMode & {
  port: number;
  basePath: string;
  /** How long a request may take to arrive whole (headers and body). */
  requestTimeoutMs: number;
  /** Most connections at once; default: most of the process's open-file limit. */
  maxConnections?: number;
  /** Most connections at once from one client address (not behind trusted proxies). */
  connectionsPerAddress: number;
  store: StoreChoice;
  /** Turns the operator's console on at `<base>/console`: what it signs in with. */
  consoleToken?: string;
  /** Turns Prometheus metrics on at `<base>/metrics`: the bearer token scrapes send. */
  metricsToken?: string;
};

/** How an environment variable's text becomes an option's value; bounds are the schema's. */
type Read = (raw: string) => unknown;

const text: Read = (raw) => raw;
const list: Read = (raw) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const integer = (raw: string): number => {
  if (!/^\d+$/.test(raw)) throw new Error(`must be a whole number (got "${raw}")`);
  return Number(raw);
};
/** `true`, `false`, a number of hops, or the proxies' addresses and networks, comma-separated. */
const trust: Read = (raw) => {
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^(false|no|off)$/i.test(raw)) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^[0-9a-f:./[\], ]+$/i.test(raw) && /[.:]/.test(raw)) return list(raw);
  throw new Error(`must be true, false, the number of proxies in front, or their addresses or networks (got "${raw}")`);
};

/** The options each variable sets, and how its text is read. */
const VARIABLES: Record<string, [keyof RelayOptions, Read]> = {
  MT_API_TOKEN: ['apiToken', text],
  MT_API_BASE: ['apiBase', text],
  MT_BRIDGE: ['bridge', text],
  MT_TARGETS: ['targets', readTargets],
  MT_WEBHOOK_SECRET: ['webhookSecret', text],
  MT_WEBHOOK_ID: ['webhookId', text],
  MT_ALLOWED_COUNTRIES: ['allowedCountries', list],
  MT_UPSTREAM_TIMEOUT_MS: ['upstreamTimeoutMs', integer],
  MT_ALLOWED_ORIGINS: ['allowedOrigins', list],
  MT_RATE_LIMITS: ['rateLimits', text],
  MT_TRUST_PROXY: ['trustProxy', trust],
  MT_TICKET_RATE_LIMITS: ['ticketRateLimits', text],
  MT_PUBLIC_URL: ['publicUrl', text],
  MT_STREAMS_PER_ADDRESS: ['streamsPerAddress', integer],
  MT_STREAMS_PER_CALL: ['streamsPerCall', integer],
  MT_TICKET_SECRET: ['ticketSecret', text],
  MT_HISTORY_DAYS: ['historyDays', integer],
  MT_VERIFY_RATE_LIMITS: ['verifyRateLimits', text],
  MT_VERIFIED_TOKEN_TTL_SECONDS: ['verifiedTokenTtlSeconds', integer],
  MT_BOOKING_GRACE_MS: ['bookingGraceMs', integer],
};

/** Variables of the server itself, beside the relay's options. */
const SERVER_VARIABLES = new Set([
  'MT_BASE_PATH',
  'MT_SANDBOX_DELAY_MS',
  'MT_REQUEST_TIMEOUT_MS',
  'MT_MAX_CONNECTIONS',
  'MT_CONNECTIONS_PER_ADDRESS',
  'MT_STORE',
  'MT_CONSOLE_TOKEN',
  'MT_METRICS_TOKEN',
]);

/** The variable that sets an option, for problem lines. */
const VARIABLE_OF = new Map(Object.entries(VARIABLES).map(([name, [key]]) => [key as string, name]));

/** The demo's business hours are in India's time zone. */
const DEMO_ZONE = 'Asia/Kolkata';

/**
 * Targets and bridge the sandbox uses when none are configured: `sales`, always open and
 * offering callback slots (for "call me back later"); `after-hours`, closed whenever the
 * demo is looked at (see {@link closedDemoHours}), offering its next opening's slots; and
 * an IVR flow.
 */
export const SANDBOX_DEFAULTS = {
  bridge: '918046000000',
  targets: {
    sales: {
      to: '918046000100',
      callFirst: 'visitor',
      duration: 15,
      hours: { timezone: DEMO_ZONE, 'mon-sun': '00:00-24:00' },
      slots: { minutes: 15, daysAhead: 2, perSlot: 4 },
    },
    'after-hours': {
      to: '918046000300',
      callFirst: 'visitor',
      duration: 15,
      get hours() {
        return closedDemoHours(Date.now());
      },
      slots: { minutes: 15, daysAhead: 3, perSlot: 2 },
    },
    'otp-ivr': { to: 'flow:220', variables: ['Name'] },
  },
} as const;

/** What a Redis URL looks like. */
const REDIS_URL = /^rediss?:\/\/\S+$/;

/**
 * Targets the sandbox adds when `MT_TICKET_SECRET` is set (verifying numbers needs it): a
 * verify target whose flow speaks a six-digit code, and a callback that takes only
 * numbers verified with it.
 */
export const SANDBOX_VERIFY_TARGETS = {
  otp: { to: 'flow:220', codeVariable: 'otp', digits: 6 },
  'sales-verified': { to: '918046000100', callFirst: 'visitor', duration: 15, requireVerified: 'otp' },
} as const;
/**
 * Hours for a demo target that is closed when the demo is looked at: open 10:00-12:00
 * (India) one day a week, the day after tomorrow as of `now` (when the configuration is
 * read, at the server's start). So it is closed for at least 34 hours after the server
 * starts (and 166 hours of every week), says it opens in two days, and offers that
 * morning's slots.
 */
export function closedDemoHours(now: number): Record<string, string> {
  const day = zoneClock(DEMO_ZONE).local(now).day + 2;
  return { timezone: DEMO_ZONE, [DAY_NAMES[weekdayOf(day)]!]: '10:00-12:00' };
}

/** A whole number written in a variable. */
const wholeNumber = z.string().regex(/^\d+$/, 'must be a whole number').transform(Number);

const serverSchema = z.object({
  PORT: wholeNumber.pipe(z.number().int().min(0).max(65535)).default(8787),
  MT_BASE_PATH: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'must look like /c2c')
    .default('/c2c'),
  MT_SANDBOX_DELAY_MS: wholeNumber.pipe(z.number().int().min(0).max(600_000)).default(4000),
  MT_REQUEST_TIMEOUT_MS: wholeNumber.pipe(z.number().int().min(1000).max(300_000)).default(10_000),
  MT_MAX_CONNECTIONS: wholeNumber.pipe(z.number().int().min(16).max(1_000_000)).optional(),
  MT_CONNECTIONS_PER_ADDRESS: wholeNumber.pipe(z.number().int().min(1).max(1_000_000)).default(64),
  REDIS_URL: z.string().regex(REDIS_URL, 'must look like redis://host:6379 (or rediss:// for TLS)').optional(),
  MT_CONSOLE_TOKEN: z.string().min(24, 'must be at least 24 characters (e.g. openssl rand -base64 32)').optional(),
  MT_METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters (e.g. openssl rand -base64 32)').optional(),
  MT_STORE: z
    .string()
    .regex(
      /^(memory|sqlite:.+|rediss?:\/\/\S+)$/,
      'must be memory, sqlite:PATH or redis://host:6379 (rediss:// for TLS)',
    )
    .optional(),
});

/**
 * Reads and validates the server's configuration from environment variables, with the
 * same rules as `createRelay`'s options. Answers every problem, one line each, naming the
 * variable at fault.
 */
export function loadServerConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: ServerConfig; warnings: string[] } | { ok: false; problems: string[] } {
  const values = Object.fromEntries(
    Object.entries(env)
      .map(([name, value]) => [name, value?.trim()] as const)
      .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
  const warnings = Object.keys(values)
    .filter((name) => name.startsWith('MT_') && !(name in VARIABLES) && !SERVER_VARIABLES.has(name))
    .map((name) => `${name}: not a setting of mt-c2c-relay; it is ignored`);

  const problems: string[] = [];
  const options: Partial<Record<keyof RelayOptions, unknown>> = {};
  for (const [name, [key, read]] of Object.entries(VARIABLES)) {
    const raw = values[name];
    if (raw === undefined) continue;
    try {
      options[key] = read(raw);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  const live = options.apiToken !== undefined;
  if (!live) {
    options.bridge ??= SANDBOX_DEFAULTS.bridge;
    if (!('MT_TARGETS' in values)) {
      const verifying = options.ticketSecret !== undefined && SANDBOX_VERIFY_TARGETS;
      options.targets = { ...SANDBOX_DEFAULTS.targets, ...verifying };
    }
  }
  const describe = (path: readonly PropertyKey[]) => {
    const [key, ...rest] = path.filter((part) => typeof part === 'string');
    const variable = VARIABLE_OF.get(key ?? '') ?? key ?? '';
    return rest.length ? `${variable} (${rest.join('.')})` : variable;
  };
  const server = validate(serverSchema, values, (path) => String(path[0]));
  // A variable that could not be read is reported once, not again as missing.
  const unreadable = new Set(problems.map((line) => line.slice(0, line.indexOf(':'))));
  const relay = live
    ? validate(settingsSchema, options, describe)
    : validate(sandboxSettingsSchema, omit(options, UPSTREAM_KEYS), describe);
  for (const result of [server, relay]) {
    if (!result.ok)
      problems.push(...result.problems.filter((line) => !unreadable.has(line.split(' ')[0]!.replace(/:$/, ''))));
  }
  const store = server.ok ? chooseStore(server.value.MT_STORE, server.value.REDIS_URL) : undefined;
  if (typeof store === 'string') problems.push(store);
  if (!server.ok || !relay.ok || !store || typeof store === 'string' || problems.length > 0) {
    return { ok: false, problems };
  }

  const { PORT: port, MT_BASE_PATH: basePath, MT_SANDBOX_DELAY_MS: delayMs } = server.value;
  const limits = {
    requestTimeoutMs: server.value.MT_REQUEST_TIMEOUT_MS,
    connectionsPerAddress: server.value.MT_CONNECTIONS_PER_ADDRESS,
    ...(server.value.MT_MAX_CONNECTIONS !== undefined && { maxConnections: server.value.MT_MAX_CONNECTIONS }),
    ...(server.value.MT_CONSOLE_TOKEN !== undefined && { consoleToken: server.value.MT_CONSOLE_TOKEN }),
    ...(server.value.MT_METRICS_TOKEN !== undefined && { metricsToken: server.value.MT_METRICS_TOKEN }),
  };
  const mode: RelayMode = live
    ? { mode: 'live', settings: relay.value as RelaySettings, options }
    : { mode: 'sandbox', settings: relay.value, delayMs, options: omit(options, UPSTREAM_KEYS) };
  return { ok: true, config: { ...mode, ...limits, port, basePath, store }, warnings };
}

/**
 * The store `MT_STORE` names (already of a valid form), or Redis at `REDIS_URL` (its
 * older name), or the default; or the problem line when the two disagree.
 */
function chooseStore(setting: string | undefined, redisUrl: string | undefined): StoreChoice | string {
  if (setting === undefined) return redisUrl === undefined ? DEFAULT_STORE : { kind: 'redis', url: redisUrl };
  const store: StoreChoice =
    setting === 'memory'
      ? { kind: 'memory' }
      : setting.startsWith('sqlite:')
        ? { kind: 'sqlite', path: setting.slice('sqlite:'.length) }
        : { kind: 'redis', url: setting };
  if (redisUrl !== undefined && (store.kind !== 'redis' || store.url !== redisUrl)) {
    // Neither value is printed: a Redis URL may hold a password.
    return 'MT_STORE: disagrees with REDIS_URL; set only one of them';
  }
  return store;
}

/** `MT_TARGETS` is JSON, or the path of a JSON file. */
function readTargets(raw: string): unknown {
  let json = raw;
  if (!raw.startsWith('{')) {
    try {
      json = readFileSync(raw, 'utf8');
    } catch {
      throw new Error(`must be JSON or the path of a JSON file; cannot read "${raw}"`);
    }
  }
  try {
    return JSON.parse(json);
  } catch {
    throw new Error('is not valid JSON');
  }
}

function omit<T extends object>(value: T, keys: Partial<Record<keyof T, true>>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !(key in keys))) as Partial<T>;
}
