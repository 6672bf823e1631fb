import { readFileSync } from 'node:fs';
import { validateSettings, type RelaySettings } from './options.js';

/** Everything `mt-c2c-relay` reads from its environment, validated. */
export interface ServerConfig {
  port: number;
  basePath: string;
  /** `sandbox` when `MT_API_TOKEN` is unset: nothing is dialled. */
  mode: 'sandbox' | 'live';
  /** Relay settings; in sandbox mode the server replaces `apiToken`, `apiBase` and `webhookSecret` at start. */
  settings: RelaySettings;
  /** How long the built-in sandbox waits before reporting a call. */
  sandboxDelayMs: number;
  /** Share calls, limits and events with other instances through this Redis. */
  redisUrl?: string;
}

/** Settings names and the variables that carry them. */
const VARIABLES: Record<string, string> = {
  apiToken: 'MT_API_TOKEN',
  apiBase: 'MT_API_BASE',
  bridge: 'MT_BRIDGE',
  targets: 'MT_TARGETS',
  webhookSecret: 'MT_WEBHOOK_SECRET',
  webhookId: 'MT_WEBHOOK_ID',
  allowedCountries: 'MT_ALLOWED_COUNTRIES',
  upstreamTimeoutMs: 'MT_UPSTREAM_TIMEOUT_MS',
  allowedOrigins: 'MT_ALLOWED_ORIGINS',
  rateLimits: 'MT_RATE_LIMITS',
  trustProxy: 'MT_TRUST_PROXY',
  ticketSecret: 'MT_TICKET_SECRET',
};

const KNOWN = new Set([...Object.values(VARIABLES), 'MT_BASE_PATH', 'MT_SANDBOX_DELAY_MS']);

/** Targets and bridge the sandbox uses when none are configured. */
export const SANDBOX_DEFAULTS = {
  bridge: '918046000000',
  targets: {
    sales: { to: '918046000100', callFirst: 'visitor', duration: 15 },
    'otp-ivr': { to: 'flow:220', variables: ['Name'] },
  },
} as const;

/**
 * Reads and validates the server's configuration from environment variables.
 * Answers every problem, one line each, naming the variable at fault.
 */
export function loadServerConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: ServerConfig; warnings: string[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name}: must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };

  for (const name of Object.keys(env)) {
    if (name.startsWith('MT_') && !KNOWN.has(name))
      warnings.push(`${name}: not a setting of mt-c2c-relay; it is ignored`);
  }

  const mode = value('MT_API_TOKEN') === undefined ? 'sandbox' : 'live';
  const port = integer('PORT', 8787, 0, 65535);
  const basePath = value('MT_BASE_PATH') ?? '/c2c';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) problems.push(`MT_BASE_PATH: must look like /c2c (got "${basePath}")`);

  const targets = readTargets(value('MT_TARGETS'), problems);
  const input = {
    apiToken: mode === 'live' ? value('MT_API_TOKEN') : 'sandbox-token-placeholder',
    apiBase: mode === 'live' ? value('MT_API_BASE') : undefined,
    bridge: value('MT_BRIDGE') ?? (mode === 'sandbox' ? SANDBOX_DEFAULTS.bridge : undefined),
    targets: targets ?? (mode === 'sandbox' ? SANDBOX_DEFAULTS.targets : undefined),
    webhookSecret: mode === 'live' ? value('MT_WEBHOOK_SECRET') : 'sandbox-secret-placeholder',
    webhookId: value('MT_WEBHOOK_ID'),
    allowedCountries: value('MT_ALLOWED_COUNTRIES')
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    upstreamTimeoutMs: integer('MT_UPSTREAM_TIMEOUT_MS', 10_000, 100, 120_000),
    allowedOrigins: value('MT_ALLOWED_ORIGINS')
      ?.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    rateLimits: value('MT_RATE_LIMITS'),
    trustProxy: trustProxy(value('MT_TRUST_PROXY'), problems),
    ticketSecret: value('MT_TICKET_SECRET'),
  };
  if (targets === null) delete input.targets;
  const validated = validateSettings(input, (path) => {
    const [key, ...rest] = path.filter((part) => typeof part === 'string');
    const variable = VARIABLES[key ?? ''] ?? key;
    return rest.length ? `${variable} (${rest.join('.')})` : `${variable}`;
  });
  if (!validated.ok)
    problems.push(...validated.problems.filter((p) => !(targets === null && p.startsWith('MT_TARGETS'))));
  const sandboxDelayMs = integer('MT_SANDBOX_DELAY_MS', 4000, 0, 600_000);
  const redisUrl = value('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    problems.push('REDIS_URL: must look like redis://host:6379 (or rediss:// for TLS)');

  if (problems.length > 0 || !validated.ok) return { ok: false, problems };
  return {
    ok: true,
    config: {
      port,
      basePath,
      mode,
      settings: validated.settings,
      sandboxDelayMs,
      ...(redisUrl !== undefined && { redisUrl }),
    },
    warnings,
  };
}

/** `MT_TRUST_PROXY`: `true`/`false`, or how many proxies are in front. */
function trustProxy(raw: string | undefined, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  if (/^(true|yes|on)$/i.test(raw)) return 1;
  if (/^(false|no|off)$/i.test(raw)) return 0;
  if (/^\d$/.test(raw)) return Number(raw);
  problems.push(`MT_TRUST_PROXY: must be true, false or the number of proxies in front (got "${raw}")`);
  return undefined;
}

/** `MT_TARGETS` is JSON, or the path of a JSON file. `null` means a problem was recorded. */
function readTargets(raw: string | undefined, problems: string[]): unknown {
  if (raw === undefined) return undefined;
  let text = raw;
  if (!raw.startsWith('{')) {
    try {
      text = readFileSync(raw, 'utf8');
    } catch {
      problems.push(`MT_TARGETS: must be JSON or the path of a JSON file; cannot read "${raw}"`);
      return null;
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    problems.push(`MT_TARGETS: is not valid JSON`);
    return null;
  }
}
