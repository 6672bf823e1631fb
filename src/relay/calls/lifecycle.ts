import { isFinalState, type CallAccepted, type CallRequest } from '../../protocol/index.js';
import type { CallEndedReport } from '../config/options.js';
import type { RelaySettings } from '../config/settings.js';
import { isVerifyTarget } from '../config/targets.js';
import { RelayError } from '../errors.js';
import { redactingLogger, type Logger } from '../log.js';
import type { PhonePolicy } from '../phone/visitor-number.js';
import type { CallRecords, NumberClaims, OnceClaims, RateLimitCounters } from '../store/roles.js';
import { buildC2cBody } from '../upstream/c2c-body.js';
import { postC2c, type MobtextingClientOptions } from '../upstream/mobtexting.js';
import { requireVerifiedNumber } from '../verify/gate.js';
import { callLimitRules, enforceLimits, type KindedRule } from './limits.js';
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
}

/** Who asked for a call: the client's address, and the verified ticket it carried, if any. */
export interface Requester {
  address?: string;
  ticket?: Ticket;
}

/**
 * Takes work that may outlive the request or alarm that started it (the site's hook):
 * `waitUntil` on Workers; elsewhere the process simply lets it run.
 */
export type Background = (work: Promise<unknown>) => void;

const detach: Background = () => {};

/** A call decided and checked, for {@link CallLifecycle.place}. */
export interface CallPlan {
  parties: Parties;
  /** The flow variables to send, checked. */
  variables: Record<string, string>;
  /** The limits the call counts against, once its number is claimed. */
  rules: KindedRule[];
  /** The ticket it uses, once. */
  ticket?: Ticket;
  /** The call's id, when the caller must know it even if placing fails. Default: a new one. */
  callId?: string;
  /** Values no log line may show (a verification's code). */
  hidden?: string[];
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
   * a verified ticket used once), checks the target's own rules (a verified number, the
   * variables its flow takes), and places it with the limits of its budget.
   */
  async start(request: CallRequest, requester: Requester = {}): Promise<CallAccepted> {
    const relay = this.#relay;
    const { ticket, address } = requester;
    const { targets } = relay.settings;
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
      const secret = relay.settings.ticketSecret;
      await requireVerifiedNumber({ targets, target, number, token: request.verified, secret, now: relay.now() });
    }
    const variables = checkVariables(parties.target, request.variables, ticket?.variables);
    const { settings } = relay;
    const subject = { number: parties.number, target: parties.name };
    const rules = ticket
      ? callLimitRules(settings.ticketRateLimits, subject, 'ticket')
      : callLimitRules(settings.rateLimits, subject);
    const call = await this.place({ parties, variables, rules, ...(ticket && { ticket }) });
    return { callId: call.callId, state: 'initiated', phone: call.phone };
  }

  /**
   * Places one call whose parties and variables are decided: uses its ticket (once),
   * claims the number (one call at a time), counts the rate limits, records the call, and
   * only then asks Mobtexting, once, so that a report arriving at once finds its call. A
   * refused call is forgotten and frees what it held; one whose fate is unknown (a
   * time-out, an unreadable answer) is kept, since it may ring. Answers the recorded call.
   *
   * @throws {RelayError} `number_not_allowed` for the business's own numbers,
   *   `call_in_progress`, `rate_limited`, `invalid_ticket`, or the upstream's errors.
   */
  async place(plan: CallPlan): Promise<CallRecord> {
    const relay = this.#relay;
    const { parties, variables, ticket } = plan;
    if (relay.ownNumbers.has(parties.number)) {
      throw new RelayError('number_not_allowed', 'This number cannot be called from here.', { field: 'phone' });
    }
    const call = this.#newCall(parties, plan.callId);
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
      await enforceLimits(store, plan.rules, relay.now(), relay.log);
      await store.createCall(call, call.expiresAt);
      recorded = true;
      await this.#dial(call, parties, variables, plan.hidden ?? []);
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
   * and hands it to the site's `onCallEnded` hook, as work that may outlive the request
   * (`background`: on Workers, `waitUntil`). Answers the ended call, or `undefined` when it
   * had already ended (a final state is final: a repeat changes nothing).
   */
  async end(callId: string, ending: CallEnding, background: Background = detach): Promise<CallRecord | undefined> {
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
      background(
        Promise.resolve()
          .then(() => onCallEnded(endedReport(ended, ending)))
          .catch((err: unknown) =>
            log('error', 'hook.on_call_ended_failed', {
              callId,
              reason: err instanceof Error ? err.message : String(err),
            }),
          ),
      );
    }
    return ended;
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
   * Settles every call whose report is overdue as `unknown`, a batch at a time. The only
   * place that does: run it now and then (the Node server does every 30 s; on Workers, an
   * alarm or a Cron Trigger). Answers how many calls it settled.
   */
  async sweep(background: Background = detach): Promise<number> {
    const { store, now } = this.#relay;
    let settled = 0;
    for (;;) {
      const due = await store.dueCalls(now(), 100);
      let inBatch = 0;
      for (const callId of due) {
        const call = await store.getCall(callId);
        if (!call) await store.discardCall(callId);
        else if (call.state === 'initiated' && call.expiresAt <= now()) {
          if (await this.end(callId, { state: 'unknown', at: now() }, background)) inBatch++;
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
      if (applied) return next;
    }
    return undefined;
  }

  #newCall(parties: Parties, callId: string = crypto.randomUUID()): CallRecord {
    const { settings, now } = this.#relay;
    const { target } = parties;
    const createdAt = now();
    const longest = (target.duration ?? settings.defaultCallMinutes) * 60_000;
    return {
      callId,
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

  /**
   * Asks Mobtexting, once, to place a recorded call. `hidden` values (a verification's
   * code) are kept out of every line the upstream client logs, even if Mobtexting's
   * answer repeats them.
   */
  async #dial(call: CallRecord, parties: Parties, variables: Record<string, string>, hidden: string[]): Promise<void> {
    const { settings, log } = this.#relay;
    const upstream =
      hidden.length > 0 ? { ...this.#relay.upstream, log: redactingLogger(log, hidden) } : this.#relay.upstream;
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
    const accepted = await postC2c(upstream, body);
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
