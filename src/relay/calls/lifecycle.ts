import {
  isFinalState,
  type CallAccepted,
  type CallBooked,
  type CallRequest,
  type FinalCallState,
  wireTime,
} from '../../protocol/index.js';
import { isVerifyTarget } from '../config/targets.js';
import { RelayError } from '../errors.js';
import { slotKey } from '../scheduling/schedule.js';
import { requireVerifiedNumber } from '../verify/gate.js';
import { CallChanges } from './call-changes.js';
import { endedRecord, newCallRecord, redialRecord, type Booking } from './call-steps.js';
import { dialCall } from './dial.js';
import { detach, type Background, type LifecycleContext, type Requester } from './lifecycle-context.js';
import { callLimitRules, enforceLimits, type KindedRule } from './limits.js';
import { checkVariables, ticketParties, visitorParties, type Parties } from './parties.js';
import { CALL_ID, dueOf, type CallEnding, type CallRecord } from './record.js';
import { CallSweep } from './sweep.js';
import type { Ticket } from './tickets.js';

export type { Background, LifecycleContext, Requester } from './lifecycle-context.js';

/** A call decided and checked, for {@link CallLifecycle.place}. */
export interface CallPlan {
  parties: Parties;
  /** The flow variables to send, checked. */
  variables: Record<string, string>;
  /** The limits the call counts against, once its number is claimed. */
  rules: KindedRule[];
  /** The ticket it uses, once. */
  ticket?: Ticket;
  /** The slot it is booked for; without it, the call is placed now. */
  booking?: Booking;
  /** The call's id, when the caller must know it even if placing fails. Default: a new one. */
  callId?: string;
  /** Values no log line may show (a verification's code). */
  hidden?: string[];
  /** The `Origin` of the page that asked, for the history. */
  origin?: string;
  /** What the history keeps it as, when not a call or a booking: a verification's call. */
  kind?: 'verification';
}

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
  readonly #changes: CallChanges;
  readonly #sweep: CallSweep;

  constructor(relay: LifecycleContext) {
    this.#relay = relay;
    this.#changes = new CallChanges(relay);
    this.#sweep = new CallSweep(relay, this.#changes);
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
    const { ticket, address, origin } = requester;
    const { settings } = relay;
    const { targets } = settings;
    const context = { targets, policy: relay.policy, verifyHuman: relay.verifyHuman };
    const parties = ticket ? ticketParties(context, request, ticket) : await visitorParties(context, request, address);
    if (isVerifyTarget(parties.target)) {
      throw new RelayError(
        'invalid_request',
        'This target verifies numbers: ask for a code with POST /verifications.',
        {
          field: 'target',
        },
      );
    }
    // A ticket is the site's backend vouching for the number: it needs no other proof.
    if (!ticket) {
      const { number, target } = parties;
      const secret = settings.ticketSecret;
      await requireVerifiedNumber({ targets, target, number, token: request.verified, secret, now: relay.now() });
    }
    const variables = checkVariables(parties.target, request.variables, ticket?.variables);
    const subject = { number: parties.number, target: parties.name };
    const rules = ticket
      ? callLimitRules(settings.ticketRateLimits, subject, 'ticket')
      : callLimitRules(settings.rateLimits, subject);
    const now = relay.now();
    const booking = request.at === undefined ? undefined : this.#bookable(parties.name, Date.parse(request.at), now);
    if (!booking) this.#checkOpen(parties.name, now);
    const call = await this.place({
      parties,
      variables,
      rules,
      ...(ticket && { ticket }),
      ...(booking && { booking }),
      ...(origin !== undefined && { origin }),
    });
    return booking
      ? { callId: call.callId, state: 'scheduled', at: wireTime(booking.at), phone: call.phone }
      : { callId: call.callId, state: 'initiated', phone: call.phone };
  }

  /**
   * Places one call whose parties and variables are decided, now or booked for a slot:
   * uses its ticket (once), claims the number (one open call or booking at a time), takes
   * a place in the slot, counts the rate limits, records the call, and only then, for a
   * call now, asks Mobtexting, once, so that a report arriving at once finds its call. A
   * refused call is forgotten and frees what it held; one whose fate is unknown (a
   * time-out, an unreadable answer) is kept, since it may ring. Answers the recorded call.
   *
   * @throws {RelayError} `number_not_allowed` for the business's own numbers,
   *   `call_in_progress`, `slot_full`, `rate_limited`, `invalid_ticket`, or the upstream's errors.
   */
  async place(plan: CallPlan): Promise<CallRecord> {
    const relay = this.#relay;
    const { parties, variables, ticket, booking } = plan;
    if (relay.ownNumbers.has(parties.number)) {
      throw new RelayError('number_not_allowed', 'This number cannot be called from here.', { field: 'phone' });
    }
    const call = newCallRecord(relay.settings, parties, variables, relay.now(), booking, plan.callId);
    const { store } = relay;
    // What the history and the metrics are told of this request, whatever becomes of it.
    const told = {
      call,
      source: ticket ? ('ticket' as const) : booking ? ('booking' as const) : ('page' as const),
      ...(plan.origin !== undefined && { origin: plan.origin }),
      ...(plan.kind && { kind: plan.kind }),
    };
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
        if (!slotHeld) {
          throw new RelayError('slot_full', 'This time was just taken. Please pick another.', { field: 'at' });
        }
      }
      await enforceLimits(store, plan.rules, relay.now(), relay.log);
      await store.createCall(call, dueOf(call)!);
      recorded = true;
      relay.activity?.({ type: 'call.created', ...told, ...(booking && { scheduledFor: booking.at }) });
      if (booking) {
        relay.log('info', 'call.booked', {
          callId: call.callId,
          target: call.target,
          phone: call.phone,
          at: wireTime(booking.at),
        });
        return call;
      }
      await dialCall(relay, call, parties.target, variables, plan.hidden);
      return call;
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
      if (err instanceof RelayError) {
        const { code, details } = err;
        relay.activity?.({ type: 'call.refused', ...told, code, scope: details.scope, recorded, at: relay.now() });
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
   * final; a report for an earlier attempt of a call booked again changes nothing). The
   * hook runs as work that may outlive the request (`background`: on Workers, `waitUntil`).
   */
  async end(callId: string, ending: CallEnding, background: Background = detach): Promise<CallRecord | undefined> {
    const changed = await this.#changes.change(callId, (call) => {
      if (call.state !== 'initiated') return undefined;
      const at = this.#redialTime(call, ending.state);
      return at === undefined ? endedRecord(call, ending) : redialRecord(this.#relay.settings, call, ending, at);
    });
    if (changed?.state !== 'scheduled') {
      if (changed) await this.#changes.ended(changed, ending, background);
      return changed;
    }
    // The number stays claimed until the redial could end, unless the claim lapsed and
    // another call took it: then there is no redial, and the attempt's outcome stands.
    const { store, log } = this.#relay;
    const holder = await store.claimNumber(changed.claimedNumber, callId, changed.expiresAt);
    if (holder !== undefined) {
      return this.#changes.finish(callId, ending, (call) => call.version === changed.version, undefined, background);
    }
    if (isFinalState((await store.getCall(callId))?.state ?? 'unknown')) {
      await store.releaseNumber(changed.claimedNumber, callId);
    }
    log('info', 'call.redial_booked', {
      callId,
      target: changed.target,
      phone: changed.phone,
      after: ending.state,
      at: wireTime(changed.dialAt!),
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
    const withdrawn = await this.#changes.finish(
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
   * Gives up the number an open call claimed, before its report: for a call that did what
   * it was for (a verification's code came back), so that the visitor's next call need
   * not wait for the report. The call stays open until its report or the sweep ends it;
   * ending it then releases nothing it no longer holds.
   */
  async releaseNumberOf(callId: string): Promise<void> {
    const { store } = this.#relay;
    const call = await store.getCall(callId);
    if (call && !isFinalState(call.state)) await store.releaseNumber(call.claimedNumber, callId);
  }

  /**
   * Attends to every call that is due: dials the booked calls whose time came and
   * settles every call whose report is overdue as `unknown`. The only place that does:
   * run it now and then (the Node server does every second; on Workers, an alarm or a
   * Cron Trigger). Several instances may sweep at once: each due call is moved on by one
   * of them. The site's hooks of calls it ends run as `background` work (an alarm's
   * `waitUntil`). Answers how many calls it moved on.
   */
  sweep(background: Background = detach): Promise<number> {
    return this.#sweep.sweep(background);
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
}
