import { readFileSync } from 'node:fs';
import * as z from 'zod';
import {
  besidesUnreadable,
  environmentValues,
  isRelayVariable,
  omit,
  readRelayVariables,
  UPSTREAM_KEYS,
  validateRelayVariables,
  type EnvironmentOptions,
  type SandboxSettings,
} from '../config/environment.js';
import { validate, type RelaySettings } from '../config/settings.js';

export {
  closedDemoHours,
  SANDBOX_DEFAULTS,
  SANDBOX_VERIFY_TARGETS,
  type SandboxSettings,
} from '../config/environment.js';

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
  options: EnvironmentOptions;
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

/** What a Redis URL looks like. */
const REDIS_URL = /^rediss?:\/\/\S+$/;

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
  const values = environmentValues(env);
  const warnings = Object.keys(values)
    .filter((name) => name.startsWith('MT_') && !isRelayVariable(name) && !SERVER_VARIABLES.has(name))
    .map((name) => `${name}: not a setting of mt-c2c-relay; it is ignored`);

  const read = readRelayVariables(values, (path) => readFileSync(path, 'utf8'));
  const { options, live } = read;
  const problems = [...read.problems];
  const server = validate(serverSchema, values, (path) => String(path[0]));
  const relay = validateRelayVariables(read);
  for (const result of [server, relay]) {
    if (!result.ok) problems.push(...besidesUnreadable(result.problems, read));
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
