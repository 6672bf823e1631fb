import type * as z from 'zod';
import { DAY_NAMES } from '../scheduling/hours.js';
import { weekdayOf, zoneClock } from '../scheduling/zone.js';
import type { RelayOptions } from './options.js';
import {
  settingsAgree,
  settingsFields,
  settingsSchema,
  validate,
  type RelaySettings,
  type Validated,
} from './settings.js';

/**
 * The relay's configuration from environment variables, on any runtime: the variables
 * `mt-c2c-relay` reads (`MT_API_TOKEN`, `MT_TARGETS`…) and how each becomes an option of
 * `createRelay`. The Node server (`node/env-config.ts`) and the Worker
 * (`workers/environment.ts`) read the same names the same way.
 */

/** The relay's options as read from variables, not yet validated. */
export type EnvironmentOptions = Partial<Record<keyof RelayOptions, unknown>>;

/** How an environment variable's text becomes an option's value; bounds are the schema's. */
type Read = (raw: string, files: TargetFiles | undefined) => unknown;

/** Reads a file `MT_TARGETS` names, where the runtime has files (the Node server). */
export type TargetFiles = (path: string) => string;

const text: Read = (raw) => raw;
const list: Read = (raw) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const integer: Read = (raw) => {
  if (!/^\d+$/.test(raw)) throw new Error(`must be a whole number (got "${raw}")`);
  return Number(raw);
};
/** `true`, `false`, a number of hops, or the proxies' addresses and networks, comma-separated. */
const trust: Read = (raw) => {
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^(false|no|off)$/i.test(raw)) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^[0-9a-f:./[\], ]+$/i.test(raw) && /[.:]/.test(raw)) return list(raw, undefined);
  throw new Error(`must be true, false, the number of proxies in front, or their addresses or networks (got "${raw}")`);
};

/** `MT_TARGETS` is JSON, or, where the runtime has files, the path of a JSON file. */
const targets: Read = (raw, files) => {
  let json = raw;
  if (!raw.startsWith('{')) {
    if (!files) throw new Error('must be JSON (an object of targets)');
    try {
      json = files(raw);
    } catch {
      throw new Error(`must be JSON or the path of a JSON file; cannot read "${raw}"`);
    }
  }
  try {
    return JSON.parse(json);
  } catch {
    throw new Error('is not valid JSON');
  }
};

/** The options each variable sets, and how its text is read. */
const VARIABLES: Record<string, [keyof RelayOptions, Read]> = {
  MT_API_TOKEN: ['apiToken', text],
  MT_API_BASE: ['apiBase', text],
  MT_BRIDGE: ['bridge', text],
  MT_TARGETS: ['targets', targets],
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

/** Whether a variable sets one of the relay's options. */
export function isRelayVariable(name: string): boolean {
  return Object.hasOwn(VARIABLES, name);
}

/** The variable that sets an option, for problem lines. */
const VARIABLE_OF = new Map(Object.entries(VARIABLES).map(([name, [key]]) => [key as string, name]));

/** The settings the built-in sandbox provides itself: where the API is and its secrets. */
export const UPSTREAM_KEYS = { apiToken: true, apiBase: true, webhookSecret: true, webhookId: true } as const;

/** Relay settings without the upstream's: what a sandbox relay is configured with. */
const sandboxSettingsSchema = settingsFields.omit(UPSTREAM_KEYS).superRefine(settingsAgree);

/** The relay's settings in sandbox mode: the sandbox supplies the API token, base and webhook secret. */
export type SandboxSettings = z.output<typeof sandboxSettingsSchema>;

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
 * read, at the relay's start). So it is closed for at least 34 hours after the relay
 * starts (and 166 hours of every week), says it opens in two days, and offers that
 * morning's slots.
 */
export function closedDemoHours(now: number): Record<string, string> {
  const day = zoneClock(DEMO_ZONE).local(now).day + 2;
  return { timezone: DEMO_ZONE, [DAY_NAMES[weekdayOf(day)]!]: '10:00-12:00' };
}

/**
 * The variables that are set, trimmed, as text. A value that is not text (a JSON object
 * in a Worker's `vars`, say `MT_TARGETS`) is read as its JSON; bindings are left out.
 */
export function environmentValues(env: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const raw =
      typeof value === 'string' ? value : isRelayVariable(name) && isPlain(value) ? JSON.stringify(value) : '';
    if (raw.trim() !== '') values[name] = raw.trim();
  }
  return values;
}

function isPlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value === 'number' || typeof value === 'boolean';
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === Array.prototype;
}

/** The relay's options as read from variables, and whom it talks to. */
export interface ReadVariables {
  options: EnvironmentOptions;
  /** One line per variable that could not be read, naming it. */
  problems: string[];
  /** Mobtexting itself (`MT_API_TOKEN` is set), or else the built-in simulator. */
  live: boolean;
}

/**
 * Reads the relay's variables into options (the sandbox's bridge and targets when no
 * token is set and they are not given). `files` reads a file `MT_TARGETS` names, where the
 * runtime has files.
 */
export function readRelayVariables(values: Record<string, string>, files?: TargetFiles): ReadVariables {
  const problems: string[] = [];
  const options: EnvironmentOptions = {};
  for (const [name, [key, read]] of Object.entries(VARIABLES)) {
    const raw = values[name];
    if (raw === undefined) continue;
    try {
      options[key] = read(raw, files);
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
  return { options, problems, live };
}

/**
 * Validates options read from variables with the same schema as `createRelay`'s (without
 * the upstream's settings in sandbox mode), one line per problem, naming the variable at
 * fault (`MT_TARGETS (sales.to): …`).
 */
export function validateRelayVariables(read: ReadVariables): Validated<RelaySettings | SandboxSettings> {
  const describe = (path: readonly PropertyKey[]) => {
    const [key, ...rest] = path.filter((part) => typeof part === 'string');
    const variable = VARIABLE_OF.get(key ?? '') ?? key ?? '';
    return rest.length ? `${variable} (${rest.join('.')})` : variable;
  };
  return read.live
    ? validate(settingsSchema, read.options, describe)
    : validate(sandboxSettingsSchema, omit(read.options, UPSTREAM_KEYS), describe);
}

/**
 * Leaves out the problems of variables already reported as unreadable (`read`'s), so
 * that each is reported once, not again as missing.
 */
export function besidesUnreadable(problems: string[], read: ReadVariables): string[] {
  const unreadable = new Set(read.problems.map((line) => line.slice(0, line.indexOf(':'))));
  return problems.filter((line) => !unreadable.has(line.split(' ')[0]!.replace(/:$/, '')));
}

/** A copy of `value` without `keys`. */
export function omit<T extends object>(value: T, keys: Partial<Record<keyof T, true>>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !(key in keys))) as Partial<T>;
}
