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
} from '../config/environment.js';
import { validate } from '../config/settings.js';

/** The Worker's bindings: the relay's object, the site's assets, and its variables. */
export interface RelayWorkerEnv {
  /** The Durable Object namespace of {@link RelayObject}. */
  RELAY: DurableObjectNamespace;
  /** The Worker's static assets (the widget's script), when configured. */
  ASSETS?: Fetcher;
  /** Where the relay is served. Default `/c2c`. */
  MT_BASE_PATH?: string;
  /** The relay's variables, as `mt-c2c-relay` reads them: `MT_API_TOKEN`, `MT_TARGETS`… */
  [variable: string]: unknown;
}

/** The Worker's own variables, beside the relay's options. */
const WORKER_VARIABLES = new Set(['MT_BASE_PATH', 'MT_SANDBOX_DELAY_MS']);

const DEFAULT_BASE_PATH = '/c2c';
const BASE_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

const workerSchema = z.object({
  MT_BASE_PATH: z.string().regex(BASE_PATH, 'must look like /c2c').default(DEFAULT_BASE_PATH),
  MT_SANDBOX_DELAY_MS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(600_000))
    .default(4000),
});

/** What the Worker reads from its variables, validated. */
export interface WorkerConfig {
  basePath: string;
  /** Mobtexting itself (`MT_API_TOKEN` is set), or else the built-in simulator. */
  live: boolean;
  /** The relay's options as read (without the upstream's in sandbox mode), for `createRelay`. */
  options: EnvironmentOptions;
  /** How long the sandbox waits before reporting a call. */
  sandboxDelayMs: number;
  /** Variables that look like the relay's but are not. */
  warnings: string[];
}

/**
 * Reads and validates the relay's configuration from a Worker's variables, by the names
 * and rules of `mt-c2c-relay` (`MT_TARGETS` is JSON, as text or as an object in `vars`).
 * Answers every problem, one line each, naming the variable at fault and never its value
 * when it is a secret.
 */
export function readWorkerConfig(
  env: Record<string, unknown>,
): { ok: true; config: WorkerConfig } | { ok: false; problems: string[] } {
  const values = environmentValues(env);
  const read = readRelayVariables(values);
  const problems = [...read.problems];
  const worker = validate(workerSchema, values, (path) => String(path[0]));
  const relay = validateRelayVariables(read);
  for (const result of [worker, relay]) {
    if (!result.ok) problems.push(...besidesUnreadable(result.problems, read));
  }
  if (!worker.ok || !relay.ok || problems.length > 0) return { ok: false, problems };
  const warnings = Object.keys(values)
    .filter((name) => name.startsWith('MT_') && !isRelayVariable(name) && !WORKER_VARIABLES.has(name))
    .map((name) => `${name}: not a setting of the relay; it is ignored`);
  return {
    ok: true,
    config: {
      basePath: worker.value.MT_BASE_PATH,
      live: read.live,
      options: read.live ? read.options : omit(read.options, UPSTREAM_KEYS),
      sandboxDelayMs: worker.value.MT_SANDBOX_DELAY_MS,
      warnings,
    },
  };
}

/**
 * Where the relay is served, for the Worker's front handler: `MT_BASE_PATH` when it is
 * well formed, else the default (the object then answers that the relay is misconfigured).
 */
export function basePathOf(env: Record<string, unknown>): string {
  const base = typeof env.MT_BASE_PATH === 'string' ? env.MT_BASE_PATH.trim() : '';
  return BASE_PATH.test(base) ? base : DEFAULT_BASE_PATH;
}
