import {
  isFinalState,
  type CallAccepted,
  type CallBooked,
  type CallRequest,
  type FinalCallState,
} from '../../protocol/index.js';
import type { CallEndedReport } from '../config/options.js';
import type { RelaySettings } from '../config/settings.js';
import type { Target } from '../config/targets.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PhonePolicy } from '../phone/visitor-number.js';
import { slotKey, type TargetSchedule } from '../scheduling/schedule.js';
import type { CallRecords, NumberClaims, OnceClaims, RateLimitCounters, SlotReservations } from '../store/roles.js';
import { buildC2cBody } from '../upstream/c2c-body.js';
import { postC2c, type MobtextingClientOptions } from '../upstream/mobtexting.js';
import { callLimitRules, enforceLimits } from './limits.js';
import { checkVariables, ticketParties, visitorParties } from './parties.js';
import { endedRecord, endedReport, newCallRecord, redialRecord, ringingRecord, type Booking } from './call-steps.js';
import { inParallel } from './in-parallel.js';
import { CALL_ID, dueOf, eventOf, type CallEnding, type CallRecord } from './record.js';
import type { Ticket } from './tickets.js';

/** What the call lifecycle works with. */
export interface LifecycleContext {
  settings: RelaySettings;
  store: CallRecords & NumberClaims & OnceClaims & RateLimitCounters & SlotReservations;
  upstream: MobtextingClientOptions;
  policy: PhonePolicy;
  log: Logger;
  now: () => number;
  /** When each target answers and which callback slots it offers, by target name. */
  schedules: Readonly<Record<string, TargetSchedule>>;
  /** The business's own numbers (every target's number and bridge): never dialled as a visitor. */
  ownNumbers: ReadonlySet<string>;
  verifyHuman?: (token: string, address: string | undefined) => boolean | Promise<boolean>;
  onCallEnded?: (report: CallEndedReport) => void | Promise<void>;
}

/** Who asked for a call: the client's address, and the verified ticket it carried, if any. */
export interface Requester {
  address?: string;
  ticket?: Ticket;
}

/** How many times a change is decided again when another instance changed the call first. */
const MAX_ATTEMPTS = 3;
/** How many due calls the sweep reads at a time, and how many of them it works on at once. */
const SWEEP_BATCH = 100;
const SWEEP_CONCURRENCY = 16;
/** How much longer than the provider's time-out an instance may take to dial before others take it for gone. */
const LEASE_MARGIN_MS = 30_000;
/** How soon a dial the provider refused for the moment (its rate limit, an outage) is tried again. */
const REFUSED_DIAL_BACKOFF_MS = 15_000;

/**
 * The life of a call, in one place: starting it now or booking it for later, dialling a
 * booking at its time, withdrawing one, redialling after the outcomes a target names, and
 * ending it (by a report, as `unknown` when its report is overdue, as `missed` when its
 * time passed while no relay could dial it). A final state is final; a call's number is
 * claimed when it starts or is booked and released by that call when it ends; a booking
 * is dialled at most once, by one instance; reads never change a call. Stores only
 * persist, atomically, the changes decided here.
 */
export class CallLifecycle {
  readonly #relay: LifecycleContext;

  constructor(relay: LifecycleContext) {
    this.#relay = relay;
  }

  /**
   * Finds a call by its id. Reading never changes it, even when its report is overdue:
   * the sweep settles those.
   *
   * @throws {RelayError} `unknown_call`.
   */
  async find(callId: string): Promise<CallRecord> {
    const call = CALL_ID.test(callId) ? await this.#relay.store.getCall(callId) : undefined;
    if (!call) throw new RelayError('unknown_call', 'There is no such call.');
    return call;
  }

  /**
   * Starts one call for a validated request, or books it for the slot the request names
   * (`at`): decides whom it connects (a typed number, or a verified ticket used once),
   * checks the target is open (or the slot on offer), claims the number (one open call or
   * booking at a time), takes a place in the slot, counts the rate limits, records the
   * call, and only then, for a call now, asks Mobtexting, once, so that a report arriving
   * at once finds its call. A refused call is forgotten and frees what it held; one whose
   * fate is unknown (a time-out, an unreadable answer) is kept, since it may ring.
   *
   * @throws {RelayError} `target_closed` (with `opensAt`), `slot_full`, and every refusal of a call.
   */
  async start(request: CallRequest, requester: Requester = {}): Promise<CallAccepted | CallBooked> {
    const relay = this.#relay;
    const { ticket, address } = requester;
    const context = { targets: relay.settings.targets, policy: relay.policy, verifyHuman: relay.verifyHuman };
    const parties = ticket ? ticketParties(context, request, ticket) : await visitorParties(context, request, address);
    if (relay.ownNumbers.has(parties.number)) {
      throw new RelayError('number_not_allowed', 'This number cannot be called from here.', { field: 'phone' });
    }
    const variables = checkVariables(parties.target, request.variables, ticket?.variables);
    const now = relay.now();
    const booking = request.at === undefined ? undefined : this.#bookable(parties.name, Date.parse(request.at), now);
    if (!booking) this.#checkOpen(parties.name, now);
    const call = newCallRecord(this.#relay.settings, parties, variables, now, booking);
    const { store } = relay;
    let ticketUsed = false;
    let numberClaimed = false;
    let slotHeld = false;
    let recorded = false;
    try {
      if (ticket) {
        ticketUsed = await store.claimOnce('ticket', ticket.jti, Math.max(ticket.exp * 1000 - call.createdAt, 1000));
        if (!ticketUsed) {
          throw new RelayError('invalid_ticket', 'This call link was already used. Reload the page to get a new one.', {
            field: 'ticket',
          });
        }
      }
      const holder = await store.claimNumber(call.claimedNumber, call.callId, call.expiresAt);
      if (holder !== undefined) throw new RelayError('call_in_progress', 'A call to this number is already under way.');
      numberClaimed = true;
      if (booking) {
        slotHeld = await store.reserveSlot(booking.slot, call.callId, booking.capacity, booking.until);
        if (!slotHeld)
          throw new RelayError('slot_full', 'This time was just taken. Please pick another.', { field: 'at' });
      }
      const { settings } = relay;
      const subject = { number: parties.number, target: parties.name };
      const rules = ticket
        ? callLimitRules(settings.ticketRateLimits, subject, 'ticket')
        : callLimitRules(settings.rateLimits, subject);
      await enforceLimits(store, rules, relay.now(), relay.log);
      await store.createCall(call, dueOf(call)!);
      recorded = true;
      if (booking) {
        relay.log('info', 'call.booked', {
          callId: call.callId,
          target: call.target,
          phone: call.phone,
          at: iso(booking.at),
        });
        return { callId: call.callId, state: 'scheduled', at: iso(booking.at), phone: call.phone };
      }
      await this.#dial(call, parties.target, variables);
      return { callId: call.callId, state: 'initiated', phone: call.phone };
    } catch (err) {
      if (err instanceof RelayError && err.details.uncertain) {
        relay.log('warn', 'call.uncertain', {
          callId: call.callId,
          target: call.target,
          phone: call.phone,
          code: err.code,
        });
        throw err;
      }
      // Each step on its own: one the store fails (it expires anyway) must not hide the refusal.
      await Promise.allSettled([
        recorded && store.discardCall(call.callId),
        ticketUsed && store.releaseOnce('ticket', ticket!.jti),
        numberClaimed && store.releaseNumber(call.claimedNumber, call.callId),
        slotHeld && store.releaseSlot(booking!.slot, call.callId),
      ]);
      throw err;
    }
  }

  /**
   * Ends a ringing call with the outcome its report gives: stores its final state and
   * event, releases its number, logs it, and hands it to the site's `onCallEnded` hook.
   * When the target's `retry` names that outcome and redials are left, the call is booked
   * again instead (`scheduled`, at the first open moment after the delay) and goes on.
   * Answers the changed call, or `undefined` when it was not ringing (a final state is
   * final; a report for an earlier attempt of a call booked again changes nothing).
   */
  async end(callId: string, ending: CallEnding): Promise<CallRecord | undefined> {
    const changed = await this.#change(callId, (call) => {
      if (call.state !== 'initiated') return undefined;
      const at = this.#redialTime(call, ending.state);
      return at === undefined ? endedRecord(call, ending) : redialRecord(this.#relay.settings, call, ending, at);
    });
    if (changed?.state !== 'scheduled') {
      if (changed) await this.#ended(changed, ending);
      return changed;
    }
    // The number stays claimed until the redial could end, unless the claim lapsed and
    // another call took it: then there is no redial, and the attempt's outcome stands.
    const { store, log } = this.#relay;
    const holder = await store.claimNumber(changed.claimedNumber, callId, changed.expiresAt);
    if (holder !== undefined) return this.#finish(callId, ending, (call) => call.version === changed.version);
    if (isFinalState((await store.getCall(callId))?.state ?? 'unknown')) {
      await store.releaseNumber(changed.claimedNumber, callId);
    }
    log('info', 'call.redial_booked', {
      callId,
      target: changed.target,
      phone: changed.phone,
      after: ending.state,
      at: iso(changed.dialAt!),
    });
    return changed;
  }

  /**
   * Withdraws a booked call before it is dialled: it ends `canceled` and gives back its
   * number and its slot's place. A call that has ended already is answered as it is
   * (nothing is left to withdraw).
   *
   * @throws {RelayError} `unknown_call`; `call_in_progress` once it is being dialled or rings.
   */
  async withdraw(callId: string): Promise<CallRecord> {
    await this.find(callId);
    const withdrawn = await this.#finish(
      callId,
      { state: 'canceled', at: this.#relay.now() },
      (call) => call.state === 'scheduled' && call.lease === undefined,
    );
    if (withdrawn) return withdrawn;
    const current = await this.find(callId);
    if (isFinalState(current.state)) return current;
    throw new RelayError('call_in_progress', 'This call is being placed: it can no longer be withdrawn.');
  }

  /**
   * Attends to every call that is due, a batch at a time: dials the booked calls whose
   * time came (see {@link #dispatch}) and settles every call whose report is overdue as
   * `unknown`. The only place that does: run it now and then (the Node server does every
   * second; on Workers, an alarm or a Cron Trigger). Several instances may sweep at once:
   * each due call is moved on by one of them. Answers how many calls it moved on.
   */
  async sweep(): Promise<number> {
    const { store, now } = this.#relay;
    let moved = 0;
    for (;;) {
      const due = await store.dueCalls(now(), SWEEP_BATCH);
      const inBatch = (await inParallel(due, SWEEP_CONCURRENCY, (callId) => this.#attend(callId))).filter(
        Boolean,
      ).length;
      moved += inBatch;
      // A full batch that moved nothing would come back the same: stop rather than spin.
      if (due.length < SWEEP_BATCH || inBatch === 0) return moved;
    }
  }

  async #attend(callId: string): Promise<boolean> {
    const { store, now } = this.#relay;
    const call = await store.getCall(callId);
    if (!call) {
      await store.discardCall(callId);
      return false;
    }
    if (call.state === 'scheduled') return this.#dispatch(call);
    const at = now();
    const overdue = (c: CallRecord) => c.state === 'initiated' && c.expiresAt <= at;
    return (await this.#finish(callId, { state: 'unknown', at }, overdue, call)) !== undefined;
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
  async #dispatch(due: CallRecord): Promise<boolean> {
    const { settings, now, log } = this.#relay;
    const at = now();
    const { lease } = due;
    if (lease) {
      if (lease.until > at) return false;
      const lapsed = await this.#change(
        due.callId,
        (call) => (call.version === due.version ? ringingRecord(this.#relay.settings, call, lease.at, at) : undefined),
        due,
      );
      if (lapsed) log('warn', 'call.dial_lapsed', { callId: due.callId, target: due.target, phone: due.phone });
      return lapsed !== undefined;
    }
    if (at > due.dialAt! + settings.bookingGraceMs) {
      const missed = await this.#finish(
        due.callId,
        { state: 'missed', at },
        (call) => call.version === due.version,
        due,
      );
      return missed !== undefined;
    }
    const until = at + settings.upstreamTimeoutMs + LEASE_MARGIN_MS;
    const leased = await this.#change(
      due.callId,
      (call) => (call.version === due.version && dueOf(call)! <= at ? { ...call, lease: { at, until } } : undefined),
      due,
    );
    if (!leased) return false;
    const mine = (call: CallRecord) => call.version === leased.version;
    const target = leased.target === undefined ? undefined : settings.targets[leased.target];
    if (!target) {
      log('error', 'call.dial_refused', { callId: leased.callId, target: leased.target, code: 'unknown_target' });
      return (await this.#finish(leased.callId, { state: 'failed', at }, mine, leased)) !== undefined;
    }
    try {
      await this.#dial(leased, target, leased.variables ?? {});
    } catch (err) {
      if (err instanceof RelayError && !err.details.uncertain) return this.#dialRefused(leased, err);
      // It may ring all the same: followed as ringing, like an instant call in that case.
      log('warn', 'call.uncertain', { callId: leased.callId, target: leased.target, phone: leased.phone });
    }
    const ringing = await this.#change(
      leased.callId,
      (call) => (mine(call) ? ringingRecord(this.#relay.settings, call, at, now()) : undefined),
      leased,
    );
    // Its lease lapsed first: the instance that found it so follows it as ringing already.
    if (!ringing) log('warn', 'call.dial_late', { callId: leased.callId });
    return true;
  }

  /** A booking the provider refused: tried again within the grace if the refusal may pass, else `failed`. */
  async #dialRefused(leased: CallRecord, err: RelayError): Promise<boolean> {
    const { settings, now, log } = this.#relay;
    const at = now();
    const again = at + Math.max(REFUSED_DIAL_BACKOFF_MS, (err.details.retryAfter ?? 0) * 1000);
    const passing = err.code === 'rate_limited' || err.code === 'upstream_error';
    const mine = (call: CallRecord) => call.version === leased.version;
    log('warn', 'call.dial_refused', { callId: leased.callId, target: leased.target, code: err.code });
    if (passing && again <= leased.dialAt! + settings.bookingGraceMs) {
      const back = await this.#change(
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
    return (await this.#finish(leased.callId, { state: 'failed', at }, mine, leased)) !== undefined;
  }

  /** Ends an open call that `guard` accepts, then logs it and tells the hook. */
  async #finish(
    callId: string,
    ending: CallEnding,
    guard: (call: CallRecord) => boolean,
    known?: CallRecord,
  ): Promise<CallRecord | undefined> {
    const ended = await this.#change(callId, (call) => (guard(call) ? endedRecord(call, ending) : undefined), known);
    if (ended) await this.#ended(ended, ending);
    return ended;
  }

  /** What follows a call's end: its slot's place given back, the log line, the site's hook. */
  async #ended(ended: CallRecord, ending: CallEnding): Promise<void> {
    const { store, log, onCallEnded } = this.#relay;
    const { callId } = ended;
    if (ended.slot) await store.releaseSlot(ended.slot, callId).catch(() => {}); // it lapses anyway
    log('info', 'call.ended', {
      callId,
      state: ended.state,
      target: ended.target,
      phone: ended.phone,
      talkSeconds: ended.talkSeconds,
    });
    if (onCallEnded) {
      // The hook is the site's code: its failure must not undo or delay the stored state.
      void Promise.resolve()
        .then(() => onCallEnded(endedReport(ended, ending)))
        .catch((err: unknown) =>
          log('error', 'hook.on_call_ended_failed', {
            callId,
            reason: err instanceof Error ? err.message : String(err),
          }),
        );
    }
  }

  /**
   * Decides a change of an open call and has the store apply it, deciding again when
   * another instance changed the call first. A final state is final: a call that has
   * ended is never changed; nor is one `decide` leaves alone (`undefined`). Ending a call
   * releases the number it claimed. `known` is the record as last read, if at hand.
   */
  async #change(
    callId: string,
    decide: (call: CallRecord) => CallRecord | undefined,
    known?: CallRecord,
  ): Promise<CallRecord | undefined> {
    const { store } = this.#relay;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // The record just read or written, when there is one, saves reading it again: if it
      // is stale, the store refuses the change and the next attempt reads it.
      const call = attempt === 0 && known ? known : await store.getCall(callId);
      if (!call || isFinalState(call.state)) return undefined;
      const decided = decide(call);
      if (!decided) return undefined;
      const next = { ...decided, version: call.version + 1 };
      const ended = isFinalState(next.state);
      const applied = await store.updateCall({
        call: next,
        ...(next.state !== call.state && { event: eventOf(next) }),
        dueAt: dueOf(next),
        ...(ended && { release: call.claimedNumber }),
      });
      if (applied) return next;
    }
    return undefined;
  }

  /** The slot a request names, if the target offers it now. */
  #bookable(name: string, at: number, now: number): Booking {
    const schedule = this.#relay.schedules[name]!;
    const rules = schedule.slots;
    if (!rules) throw new RelayError('invalid_request', 'This team does not book callbacks.', { field: 'at' });
    if (!schedule.isSlot(at, now)) {
      throw new RelayError('invalid_request', 'This time is not one on offer. Please pick another.', { field: 'at' });
    }
    return { at, slot: slotKey(name, at), capacity: rules.perSlot, until: at + rules.minutes * 60_000 };
  }

  /** @throws {RelayError} `target_closed`, with when it opens, when the target does not answer now. */
  #checkOpen(name: string, now: number): void {
    const view = this.#relay.schedules[name]!.view(now);
    if (view.open) return;
    throw new RelayError('target_closed', 'Nobody can take calls here right now.', {
      ...(view.opensAt !== undefined && { opensAt: view.opensAt }),
    });
  }

  /** When a call that ended so is redialled, if its target's `retry` says it is. */
  #redialTime(call: CallRecord, outcome: FinalCallState): number | undefined {
    const { settings, schedules, now } = this.#relay;
    const retry = call.target === undefined ? undefined : settings.targets[call.target]?.retry;
    if (!retry?.on.includes(outcome) || (call.retry?.attempt ?? 0) >= retry.max) return undefined;
    return schedules[call.target!]!.openFrom(now() + retry.afterMs);
  }

  /** Asks Mobtexting, once, to place a recorded call. */
  async #dial(call: CallRecord, target: Target, variables: Record<string, string>): Promise<void> {
    const { settings, upstream, log } = this.#relay;
    const body = buildC2cBody({
      bridge: call.bridge,
      from: call.from,
      to: call.to,
      callId: call.callId,
      record: target.record,
      duration: target.duration,
      attempts: target.attempts,
      webhookId: settings.webhookId,
      variables,
    });
    const accepted = await postC2c(upstream, body);
    log('info', 'call.initiated', {
      callId: call.callId,
      target: call.target,
      phone: call.phone,
      upstreamCallId: accepted.upstreamCallId,
    });
  }
}

const iso = (at: number) => new Date(at).toISOString();
