import { DurableObject } from 'cloudflare:workers';
import { Hono } from 'hono';
import type { RelayOptions } from '../config/options.js';
import { RelayConfigError } from '../config/settings.js';
import { createRelay, type Relay } from '../create-relay.js';
import { RelayError } from '../errors.js';
import { jsonLogger, redactingLogger, type Logger } from '../log.js';
import { SchemaTooNewError } from '../store/sqlite/migrations.js';
import { migrate } from '../store/sqlite/schema.js';
import { SqliteCallStore } from '../store/sqlite/sqlite-store.js';
import { durableObjectDriver } from './durable-object-driver.js';
import { readWorkerConfig, type RelayWorkerEnv } from './environment.js';
import { sandboxUpstream } from './sandbox.js';

/** The relay, running in the object. */
interface Running {
  app: Hono;
  relay: Relay;
  store: SqliteCallStore;
  /** The relay's clock: the store's due times are in it. */
  now: () => number;
  log: Logger;
}

/** Methods of requests that change nothing, after which no alarm needs checking. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The soonest an alarm is set from now: a call overdue already is settled a moment later, not in a loop. */
const MIN_ALARM_DELAY_MS = 1000;
/** The soonest an alarm only prunes expired rows: a few rows gone a little late cost nothing. */
const PRUNE_DELAY_MS = 10 * 60_000;

/**
 * The relay as a Durable Object: every request for the relay's paths comes to one object
 * (the Worker's front handler routes them through the binding `RELAY`), so the provider's
 * webhook, the visitor's event stream and the limits all meet in it. Its state lives in
 * the object's own SQLite storage (`ctx.storage.sql`) through the same store as
 * `createSqliteStore`, so calls, tickets used, claims and limits survive the object being
 * evicted or redeployed. Its alarm dials booked callbacks at their slot and settles calls
 * whose report is overdue, and comes back while anything is due.
 *
 * It reads its configuration from the Worker's variables by the names `mt-c2c-relay`
 * uses (`MT_API_TOKEN`, `MT_BRIDGE`, `MT_TARGETS`…) when it first starts; a wrong one is
 * answered `500 relay_misconfigured` to every request, with the problems in the log. The
 * client's address is `CF-Connecting-IP`.
 *
 * A site adds its own hooks by extending it and naming its class in the Worker's
 * configuration:
 *
 * @example
 * ```ts
 * import { RelayObject, type RelayWorkerEnv } from 'mt-click-to-call/relay/workers';
 * export { default } from 'mt-click-to-call/relay/workers';
 *
 * export class SiteRelay extends RelayObject {
 *   protected override relayOptions(env: RelayWorkerEnv) {
 *     return {
 *       onCallEnded: async (report) => {
 *         await fetch(env.CRM_URL as string, { method: 'POST', body: JSON.stringify(report) });
 *       },
 *     };
 *   }
 * }
 * ```
 */
export class RelayObject extends DurableObject<RelayWorkerEnv> {
  #state: Running | { problems: string[] } | undefined;
  /** What Hono hands the relay as `c.executionCtx`: work that outlives a response goes to the object's `waitUntil`. */
  readonly #executionContext = {
    waitUntil: (work: Promise<unknown>) => this.ctx.waitUntil(work),
    passThroughOnException: () => {},
    props: {},
  };

  /**
   * Options the site adds to the relay's own, given the Worker's bindings and variables:
   * hooks (`onCallEnded`, `verifyHuman`), a `logger`, anything `createRelay` takes but the
   * store, which is the object's. Override it in a subclass; the default adds nothing.
   */
  protected relayOptions(_env: RelayWorkerEnv): Partial<RelayOptions> {
    return {};
  }

  override async fetch(request: Request): Promise<Response> {
    const state = await this.#start();
    if (!('app' in state)) return misconfigured();
    const response = await state.app.fetch(request, this.env, this.#executionContext);
    // A request that may have placed or changed a call: the alarm must come when it is due.
    if (!READS.has(request.method)) await this.#scheduleAlarm(state);
    return response;
  }

  /**
   * Attends to every call that is due (the relay's `sweep()`): dials booked callbacks whose
   * slot came and settles calls whose report is overdue, the site's `onCallEnded` hooks
   * running as work that outlives the alarm; then prunes expired rows, and sets the next
   * alarm while anything is due.
   */
  override async alarm(): Promise<void> {
    const state = await this.#start();
    if (!('app' in state)) return;
    await state.relay.sweep((work) => this.ctx.waitUntil(work));
    try {
      state.store.prune();
    } catch {
      // The store said so in the log; the next alarm prunes again.
    }
    await this.#scheduleAlarm(state);
  }

  /** Starts the relay on first use, and makes sure the alarm is set for what the storage holds. */
  async #start(): Promise<Running | { problems: string[] }> {
    if (this.#state) return this.#state;
    const state = (this.#state = this.#create());
    if ('app' in state) await this.#scheduleAlarm(state);
    return state;
  }

  #create(): Running | { problems: string[] } {
    const env = this.env;
    const extra = this.relayOptions(env);
    const secrets = ['MT_API_TOKEN', 'MT_WEBHOOK_SECRET', 'MT_TICKET_SECRET'].map((name) => env[name]);
    const log = redactingLogger(
      extra.logger ?? jsonLogger(),
      secrets.filter((s) => typeof s === 'string'),
    );
    const refuse = (problems: string[]) => {
      for (const problem of problems) log('error', 'relay.misconfigured', { problem });
      return { problems };
    };
    const read = readWorkerConfig(env);
    if (!read.ok) return refuse(read.problems);
    const { config } = read;
    for (const warning of config.warnings) log('warn', 'relay.config_warning', { warning });
    const now = extra.now ?? Date.now;
    let store: SqliteCallStore;
    try {
      const db = durableObjectDriver(this.ctx.storage);
      migrate(db, 'the relay’s Durable Object storage');
      store = new SqliteCallStore(db, { now, logger: log, pruneIntervalMs: 0 });
    } catch (err) {
      if (err instanceof SchemaTooNewError) return refuse([err.message]);
      throw err;
    }
    let app: Hono | undefined;
    const upstream = config.live ? {} : sandboxUpstream(() => app!, config.basePath, config.sandboxDelayMs, log);
    try {
      const relay = createRelay({
        ...(config.options as Partial<RelayOptions>),
        ...upstream,
        clientIp: (c) => c.req.header('cf-connecting-ip'),
        logger: log,
        ...extra,
        store,
      } as RelayOptions);
      app = new Hono().route(config.basePath, relay);
      log(config.live ? 'info' : 'warn', 'relay.started', {
        mode: config.live ? 'live' : 'sandbox',
        basePath: config.basePath,
        ...(!config.live && { note: 'SANDBOX MODE: MT_API_TOKEN is not set; nothing is dialled' }),
      });
      return { app, relay, store, now, log };
    } catch (err) {
      if (err instanceof RelayConfigError) return refuse(err.problems);
      throw err;
    }
  }

  /**
   * Sets the alarm for the earliest moment something in the store needs the relay: an open
   * call's due time, or (a while later) the first expiry of a kept row. The store's times
   * are the relay's clock; the alarm's, the runtime's.
   */
  async #scheduleAlarm({ store, now, log }: Running): Promise<void> {
    try {
      const due = store.nextDueAt() ?? Infinity;
      const expiry = store.nextExpiryAt();
      const prune = expiry === undefined ? Infinity : Math.max(expiry, now() + PRUNE_DELAY_MS);
      const next = Math.min(due, prune);
      if (next === Infinity) return;
      const at = Date.now() + Math.max(next - now(), MIN_ALARM_DELAY_MS);
      const set = await this.ctx.storage.getAlarm();
      if (set === null || set > at) await this.ctx.storage.setAlarm(at);
    } catch (err) {
      log('error', 'alarm.not_set', { reason: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** The answer to every request while the configuration is wrong. */
function misconfigured(): Response {
  const message = 'The relay is not set up correctly. Its log says why.';
  const body = new RelayError('relay_misconfigured', message).toBody();
  return new Response(JSON.stringify(body), {
    status: 500,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
