import { isFinalState, type CallAccepted, type CallRequest } from '../../protocol/index.js';
import type { CallEndedReport } from '../config/options.js';
import type { RelaySettings } from '../config/settings.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PhonePolicy } from '../phone/visitor-number.js';
import type { CallRecords, NumberClaims, OnceClaims, RateLimitCounters } from '../store/roles.js';
import { buildC2cBody } from '../upstream/c2c-body.js';
import { postC2c, type MobtextingClientOptions } from '../upstream/mobtexting.js';
import type { ActivityListener } from './activity.js';
import { callLimitRules, enforceLimits } from './limits.js';
import { checkVariables, ticketParties, visitorParties, type Parties } from './parties.js';
import { CALL_ID, eventOf, type CallEnding, type CallRecord } from './record.js';
import type { Ticket } from './tickets.js';

/** What the call lifecycle works with. */
export interface LifecycleContext {
  settings: RelaySettings;
  store: CallRecords & NumberClaims & OnceClaims & RateLimitCounters;
  upstream: MobtextingClientOptions;
  policy: PhonePolicy;
  log: Logger;
  now: () => number;
  /** The business's own numbers (every target's number and bridge): never dialled as a visitor. */
  ownNumbers: ReadonlySet<string>;
  verifyHuman?: (token: string, address: string | undefined) => boolean | Promise<boolean>;
  onCallEnded?: (report: CallEndedReport) => void | Promise<void>;
  /** Told at each transition of a call (the history and the metrics listen). */
  activity?: ActivityListener;
}

/** Who asked for a call: the client's address, the verified ticket it carried, if any, and its page's origin. */
export interface Requester {
  address?: string;
  ticket?: Ticket;
  origin?: string;
}

/** How many times a change is decided again when another instance changed the call first. */
const MAX_ATTEMPTS = 3;

/**
 * The life of a call, in one place: starting it, ending it (by a report, or as `unknown`
 * when its report is overdue), and the rules that govern both. A final state is final; a
 * call's number is claimed when it starts and released by that call when it ends; reads
 * never change a call. Stores only persist, atomically, the changes decided here.
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
   * Starts one call for a validated request: decides whom it connects (a typed number, or
   * a verified ticket used once), claims the number (one call at a time), counts the rate
   * limits, records the call, and only then asks Mobtexting, once, so that a report
   * arriving at once finds its call. A refused call is forgotten and frees what it held;
   * one whose fate is unknown (a time-out, an unreadable answer) is kept, since it may ring.
   */
  async start(request: CallRequest, requester: Requester = {}): Promise<CallAccepted> {
    const relay = this.#relay;
    const { ticket, address, origin } = requester;
    const context = { targets: relay.settings.targets, policy: relay.policy, verifyHuman: relay.verifyHuman };
    const parties = ticket ? ticketParties(context, request, ticket) : await visitorParties(context, request, address);
    if (relay.ownNumbers.has(parties.number)) {
      throw new RelayError('number_not_allowed', 'This number cannot be called from here.', { field: 'phone' });
    }
    const variables = checkVariables(parties.target, request.variables, ticket?.variables);
    const call = this.#newCall(parties);
    const { store } = relay;
    let ticketUsed = false;
    let numberClaimed = false;
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
      const { settings } = relay;
      const subject = { number: parties.number, target: parties.name };
      const rules = ticket
        ? callLimitRules(settings.ticketRateLimits, subject, 'ticket')
        : callLimitRules(settings.rateLimits, subject);
      await enforceLimits(store, rules, relay.now(), relay.log);
      await store.createCall(call, call.expiresAt);
      recorded = true;
      relay.activity?.({ type: 'call.created', call, source: ticket ? 'ticket' : 'page', origin });
      await this.#dial(call, parties, variables);
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
      if (err instanceof RelayError) {
        const { code, details } = err;
        const source = ticket ? 'ticket' : 'page';
        const at = relay.now();
        relay.activity?.({ type: 'call.refused', call, code, scope: details.scope, recorded, source, origin, at });
      }
      // Each step on its own: one the store fails (it expires anyway) must not hide the refusal.
      await Promise.allSettled([
        recorded && store.discardCall(call.callId),
        ticketUsed && store.releaseOnce('ticket', ticket!.jti),
        numberClaimed && store.releaseNumber(call.claimedNumber, call.callId),
      ]);
      throw err;
    }
  }

  /**
   * Ends an open call: stores its final state and event, releases its number, logs it,
   * and hands it to the site's `onCallEnded` hook. Answers the ended call, or `undefined`
   * when it had already ended (a final state is final: a repeat changes nothing).
   */
  async end(callId: string, ending: CallEnding): Promise<CallRecord | undefined> {
    const ended = await this.#change(callId, (call) => ({
      ...call,
      state: ending.state,
      updatedAt: ending.at,
      ...(ending.talkSeconds !== undefined && { talkSeconds: ending.talkSeconds }),
      ...(ending.report !== undefined && { report: ending.report }),
    }));
    if (!ended) return undefined;
    const { log, onCallEnded } = this.#relay;
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
    return ended;
  }

  /**
   * Settles every call whose report is overdue as `unknown`, a batch at a time. The only
   * place that does: run it now and then (the Node server does every 30 s; on Workers, an
   * alarm or a Cron Trigger). Answers how many calls it settled.
   */
  async sweep(): Promise<number> {
    const { store, now } = this.#relay;
    let settled = 0;
    for (;;) {
      const due = await store.dueCalls(now(), 100);
      let inBatch = 0;
      for (const callId of due) {
        const call = await store.getCall(callId);
        if (!call) await store.discardCall(callId);
        else if (call.state === 'initiated' && call.expiresAt <= now()) {
          this.#relay.activity?.({ type: 'dispatch.lag', lagMs: now() - call.expiresAt, at: now() });
          if (await this.end(callId, { state: 'unknown', at: now() })) inBatch++;
        }
      }
      settled += inBatch;
      // A full batch that settled nothing would come back the same: stop rather than spin.
      if (due.length < 100 || inBatch === 0) return settled;
    }
  }

  /**
   * Decides a change of an open call and has the store apply it, deciding again when
   * another instance changed the call first. A final state is final: a call that has
   * ended is never changed. Ending a call releases the number it claimed.
   */
  async #change(callId: string, decide: (call: CallRecord) => CallRecord): Promise<CallRecord | undefined> {
    const { store } = this.#relay;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const call = await store.getCall(callId);
      if (!call || isFinalState(call.state)) return undefined;
      const next = { ...decide(call), version: call.version + 1 };
      const ended = isFinalState(next.state);
      const applied = await store.updateCall({
        call: next,
        ...(next.state !== call.state && { event: eventOf(next) }),
        dueAt: ended ? undefined : next.expiresAt,
        ...(ended && { release: call.claimedNumber }),
      });
      if (applied) {
        this.#relay.activity?.({ type: 'call.changed', before: call, after: next, at: this.#relay.now() });
        return next;
      }
    }
    return undefined;
  }

  #newCall(parties: Parties): CallRecord {
    const { settings, now } = this.#relay;
    const { target } = parties;
    const createdAt = now();
    const longest = (target.duration ?? settings.defaultCallMinutes) * 60_000;
    return {
      callId: crypto.randomUUID(),
      state: 'initiated',
      version: 1,
      target: parties.name,
      bridge: target.bridge ?? settings.bridge,
      ...parties.legs,
      claimedNumber: parties.number,
      phone: parties.label,
      createdAt,
      updatedAt: createdAt,
      expiresAt: createdAt + longest + settings.reportGraceMs,
    };
  }

  /** Asks Mobtexting, once, to place a recorded call. */
  async #dial(call: CallRecord, parties: Parties, variables: Record<string, string>): Promise<void> {
    const { settings, upstream, log } = this.#relay;
    const { target } = parties;
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
    const { activity, now } = this.#relay;
    const started = performance.now();
    const accepted = await postC2c(upstream, body).catch((err: unknown) => {
      const outcome = err instanceof RelayError ? err.code : 'upstream_error';
      activity?.({ type: 'call.dialled', call, outcome, ms: performance.now() - started, at: now() });
      throw err;
    });
    activity?.({ type: 'call.dialled', call, outcome: 'accepted', ms: performance.now() - started, at: now() });
    log('info', 'call.initiated', {
      callId: call.callId,
      target: call.target,
      phone: call.phone,
      upstreamCallId: accepted.upstreamCallId,
    });
  }
}

/** What `onCallEnded` is told about a call that ended. */
function endedReport(call: CallRecord, ending: CallEnding): CallEndedReport {
  const recordingUrl = ending.report?.recording_url;
  return {
    callId: call.callId,
    ...(call.target !== undefined && { target: call.target }),
    state: ending.state,
    from: call.from,
    to: call.to,
    bridge: call.bridge,
    ...(call.talkSeconds !== undefined && { talkSeconds: call.talkSeconds }),
    ...(typeof recordingUrl === 'string' && recordingUrl && { recordingUrl }),
    ...(ending.report !== undefined && { report: ending.report }),
  };
}
