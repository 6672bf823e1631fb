import { RelayError } from '../errors.js';
import type { CallChanges } from './call-changes.js';
import { ringingRecord } from './call-steps.js';
import { dialCall } from './dial.js';
import { inParallel } from './in-parallel.js';
import { detach, type Background, type LifecycleContext } from './lifecycle-context.js';
import { dueOf, type CallRecord } from './record.js';

/** How many due calls the sweep reads at a time, and how many of them it works on at once. */
const SWEEP_BATCH = 100;
const SWEEP_CONCURRENCY = 16;
/** How much longer than the provider's time-out an instance may take to dial before others take it for gone. */
const LEASE_MARGIN_MS = 30_000;
/** How soon a dial the provider refused for the moment (its rate limit, an outage) is tried again. */
const REFUSED_DIAL_BACKOFF_MS = 15_000;

/**
 * The calls whose time came: bookings to dial, and calls whose report is overdue. A
 * booking is dialled at most once, by one instance, however many sweep at once.
 */
export class CallSweep {
  readonly #relay: LifecycleContext;
  readonly #changes: CallChanges;

  constructor(relay: LifecycleContext, changes: CallChanges) {
    this.#relay = relay;
    this.#changes = changes;
  }

  /**
   * Attends to every call that is due, a batch at a time: dials the booked calls whose
   * time came (see {@link #dispatch}) and settles every call whose report is overdue as
   * `unknown`. Answers how many calls it moved on.
   */
  async sweep(background: Background = detach): Promise<number> {
    const { store, now } = this.#relay;
    let moved = 0;
    for (;;) {
      const due = await store.dueCalls(now(), SWEEP_BATCH);
      const inBatch = (await inParallel(due, SWEEP_CONCURRENCY, (callId) => this.#attend(callId, background))).filter(
        Boolean,
      ).length;
      moved += inBatch;
      // A full batch that moved nothing would come back the same: stop rather than spin.
      if (due.length < SWEEP_BATCH || inBatch === 0) return moved;
    }
  }

  async #attend(callId: string, background: Background): Promise<boolean> {
    const { store, now } = this.#relay;
    const call = await store.getCall(callId);
    if (!call) {
      await store.discardCall(callId);
      return false;
    }
    const at = now();
    const dueAt = dueOf(call);
    // How late this instance came to a call whose time came: a booking to dial, a report overdue.
    if (dueAt !== undefined && dueAt <= at) this.#relay.activity?.({ type: 'dispatch.lag', lagMs: at - dueAt, at });
    if (call.state === 'scheduled') return this.#dispatch(call, background);
    const overdue = (c: CallRecord) => c.state === 'initiated' && c.expiresAt <= at;
    return (await this.#changes.finish(callId, { state: 'unknown', at }, overdue, call, background)) !== undefined;
  }

  /**
   * Dials a booked call whose time came, at most once whichever instances sweep at once:
   * an instance takes it on with a lease (a change of its version, so only one can), dials,
   * then records it `initiated`. An instance that goes away mid-dial leaves a lease that
   * lapses; the call may have rung, so it is never dialled again: the next sweep follows
   * it as ringing, to its report or its time running out (`unknown`). A booking later than
   * the grace ends `missed`; one the provider refused for the moment is tried again within
   * the grace; one it refused outright ends `failed`.
   */
  async #dispatch(due: CallRecord, background: Background): Promise<boolean> {
    const relay = this.#relay;
    const { settings, now, log } = relay;
    const changes = this.#changes;
    const at = now();
    const { lease } = due;
    const unchanged = (call: CallRecord) => call.version === due.version;
    if (lease) {
      if (lease.until > at) return false;
      const lapsed = await changes.change(
        due.callId,
        (call) => (unchanged(call) ? ringingRecord(settings, call, lease.at, at) : undefined),
        due,
      );
      if (lapsed) log('warn', 'call.dial_lapsed', { callId: due.callId, target: due.target, phone: due.phone });
      return lapsed !== undefined;
    }
    if (at > due.dialAt! + settings.bookingGraceMs) {
      return (await changes.finish(due.callId, { state: 'missed', at }, unchanged, due, background)) !== undefined;
    }
    const until = at + settings.upstreamTimeoutMs + LEASE_MARGIN_MS;
    const leased = await changes.change(
      due.callId,
      (call) => (unchanged(call) && dueOf(call)! <= at ? { ...call, lease: { at, until } } : undefined),
      due,
    );
    if (!leased) return false;
    const mine = (call: CallRecord) => call.version === leased.version;
    const target = leased.target === undefined ? undefined : settings.targets[leased.target];
    if (!target) {
      log('error', 'call.dial_refused', { callId: leased.callId, target: leased.target, code: 'unknown_target' });
      return (await changes.finish(leased.callId, { state: 'failed', at }, mine, leased, background)) !== undefined;
    }
    try {
      await dialCall(relay, leased, target, leased.variables ?? {});
    } catch (err) {
      if (err instanceof RelayError && !err.details.uncertain) return this.#dialRefused(leased, err, background);
      // It may ring all the same: followed as ringing, like an instant call in that case.
      log('warn', 'call.uncertain', { callId: leased.callId, target: leased.target, phone: leased.phone });
    }
    const ringing = await changes.change(
      leased.callId,
      (call) => (mine(call) ? ringingRecord(settings, call, at, now()) : undefined),
      leased,
    );
    // Its lease lapsed first: the instance that found it so follows it as ringing already.
    if (!ringing) log('warn', 'call.dial_late', { callId: leased.callId });
    return true;
  }

  /** A booking the provider refused: tried again within the grace if the refusal may pass, else `failed`. */
  async #dialRefused(leased: CallRecord, err: RelayError, background: Background): Promise<boolean> {
    const { settings, now, log } = this.#relay;
    const at = now();
    const again = at + Math.max(REFUSED_DIAL_BACKOFF_MS, (err.details.retryAfter ?? 0) * 1000);
    const passing = err.code === 'rate_limited' || err.code === 'upstream_error';
    const mine = (call: CallRecord) => call.version === leased.version;
    log('warn', 'call.dial_refused', { callId: leased.callId, target: leased.target, code: err.code });
    if (passing && again <= leased.dialAt! + settings.bookingGraceMs) {
      const back = await this.#changes.change(
        leased.callId,
        (call) => {
          if (!mine(call)) return undefined;
          const { lease: _lease, ...rest } = call;
          return { ...rest, notBefore: again };
        },
        leased,
      );
      return back !== undefined;
    }
    return (await this.#changes.finish(leased.callId, { state: 'failed', at }, mine, leased, background)) !== undefined;
  }
}
