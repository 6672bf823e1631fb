import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isFinalState } from '../../protocol/index.js';
import type { Activity } from '../calls/activity.js';

/** Label values for a call without a target (a ticket's, say): never a number or an id. */
const NONE = 'none';

/** What the metrics read besides activity: the relay's open streams. */
export interface MetricsSources {
  /** Event streams open now in this instance (calls' and the console's). */
  openStreams: () => number;
  /** The target names the relay is configured with: the only values `target` labels take. */
  targets: readonly string[];
}

/**
 * The relay's Prometheus metrics, one registry per relay instance: counters moved by
 * the relay's activity (each event is told by the one instance where it happened, so
 * summing over instances counts it once), gauges read from this instance at scrape time,
 * and the process's own metrics. Label values come from fixed sets (configured target
 * names, states, error codes, scopes), never a number or an id.
 */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly #targets: ReadonlySet<string>;
  readonly #callsStarted: Counter<'target' | 'source'>;
  readonly #callsEnded: Counter<'target' | 'state'>;
  readonly #bookings: Counter<'target' | 'outcome'>;
  readonly #verifications: Counter<'target' | 'outcome'>;
  readonly #refusals: Counter<'code' | 'scope'>;
  readonly #upstreamSeconds: Histogram<'outcome'>;
  readonly #upstreamErrors: Counter<'kind'>;
  readonly #webhookDelay: Histogram;
  readonly #storeErrors: Counter<'operation'>;
  readonly #dispatchLag: Histogram;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.#targets = new Set(sources.targets);
    collectDefaultMetrics({ register: this.registry, prefix: 'mt_c2c_' });
    this.#callsStarted = new Counter({
      name: 'mt_c2c_calls_started_total',
      help: 'Calls recorded by this instance (placed now or booked), by target and source.',
      labelNames: ['target', 'source'],
      registers,
    });
    this.#callsEnded = new Counter({
      name: 'mt_c2c_calls_ended_total',
      help: 'Calls that reached a final state in this instance, by target and state.',
      labelNames: ['target', 'state'],
      registers,
    });
    this.#bookings = new Counter({
      name: 'mt_c2c_bookings_total',
      help: 'Booked callbacks by outcome: booked, dialled, or the final state of one never dialled.',
      labelNames: ['target', 'outcome'],
      registers,
    });
    this.#verifications = new Counter({
      name: 'mt_c2c_verifications_total',
      help: 'Number verifications by outcome (started, verified, wrong_code, expired).',
      labelNames: ['target', 'outcome'],
      registers,
    });
    this.#refusals = new Counter({
      name: 'mt_c2c_refusals_total',
      help: 'Requests refused, by error code and scope (a rate limit’s, a number’s type).',
      labelNames: ['code', 'scope'],
      registers,
    });
    this.#upstreamSeconds = new Histogram({
      name: 'mt_c2c_upstream_request_duration_seconds',
      help: 'Time Mobtexting took to answer a call request, by outcome (accepted, or the error).',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.#upstreamErrors = new Counter({
      name: 'mt_c2c_upstream_errors_total',
      help: 'Call requests Mobtexting refused or failed, by kind (the error code the relay answered).',
      labelNames: ['kind'],
      registers,
    });
    this.#webhookDelay = new Histogram({
      name: 'mt_c2c_webhook_delay_seconds',
      help: 'Time from the end of a call (the report’s unixtime) to its report reaching the relay.',
      buckets: [1, 2, 5, 10, 30, 60, 300, 900],
      registers,
    });
    new Gauge({
      name: 'mt_c2c_event_streams_open',
      help: 'Live event streams this instance holds open now.',
      registers,
      collect() {
        this.set(sources.openStreams());
      },
    });
    this.#storeErrors = new Counter({
      name: 'mt_c2c_store_errors_total',
      help: 'Times the store could not be used: for a request, or to write history.',
      labelNames: ['operation'],
      registers,
    });
    this.#dispatchLag = new Histogram({
      name: 'mt_c2c_dispatcher_lag_seconds',
      help: 'How late a due call was attended to: an overdue call settled, a booking dialled.',
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    });
  }

  /** Hears one activity (an `ActivityListener`). */
  readonly listen = (activity: Activity): void => {
    switch (activity.type) {
      case 'call.created': {
        const target = this.#target(activity.call.target);
        this.#callsStarted.inc({ target, source: activity.source });
        if (activity.call.state === 'scheduled') this.#bookings.inc({ target, outcome: 'booked' });
        return;
      }
      case 'call.dialled':
        this.#upstreamSeconds.observe({ outcome: activity.outcome }, activity.ms / 1000);
        if (activity.outcome !== 'accepted') this.#upstreamErrors.inc({ kind: activity.outcome });
        return;
      case 'call.changed':
        return this.#changed(activity);
      case 'request.refused':
        if (activity.status < 500) this.#refusals.inc({ code: activity.code, scope: activity.scope ?? NONE });
        return;
      case 'store.failed':
        this.#storeErrors.inc({ operation: activity.operation });
        return;
      case 'dispatch.lag':
        this.#dispatchLag.observe(Math.max(activity.lagMs, 0) / 1000);
        return;
      case 'verification':
        this.#verifications.inc({ target: this.#target(activity.target), outcome: activity.outcome });
        return;
      default:
        return;
    }
  };

  #changed({ before, after, at }: Extract<Activity, { type: 'call.changed' }>): void {
    const target = this.#target(after.target);
    if (isFinalState(after.state)) this.#callsEnded.inc({ target, state: after.state });
    if (before.state === 'scheduled' && after.state !== 'scheduled') {
      this.#bookings.inc({ target, outcome: after.state === 'initiated' ? 'dialled' : after.state });
    }
    const unixtime = Number(after.report?.unixtime);
    if (after.report && !before.report && Number.isFinite(unixtime) && unixtime > 0) {
      this.#webhookDelay.observe(Math.max(at - unixtime * 1000, 0) / 1000);
    }
  }

  /** A target label: a configured name, or `none`. */
  #target(name: string | undefined): string {
    return name !== undefined && this.#targets.has(name) ? name : NONE;
  }
}
