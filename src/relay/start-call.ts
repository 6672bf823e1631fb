import type { CallAccepted, CallRequest } from '../protocol/index.js';
import { RelayError } from './errors.js';
import { buildC2cBody, placeCall } from './mobtexting.js';
import { parseVisitorPhone } from './phone.js';
import type { RelayRuntime } from './runtime.js';
import { callLimitRules, LIMIT_MESSAGES, type LimitScope } from './security/rate-limits.js';
import type { LimitRule } from './store/types.js';
import { FLOW_ID, type Target } from './targets.js';
import type { Ticket } from './tickets.js';

/**
 * Finds the target a request names. Without a name, the target called `default` serves,
 * or the only one configured.
 *
 * @throws {RelayError} `invalid_request` without a usable default, `unknown_target` for a wrong name.
 */
export function resolveTarget(
  targets: Record<string, Target>,
  name: string | undefined,
): { name: string; target: Target } {
  const names = Object.keys(targets);
  const chosen = name ?? (targets.default ? 'default' : names.length === 1 ? names[0] : undefined);
  if (chosen === undefined) throw new RelayError('invalid_request', 'Name the target to call.', { field: 'target' });
  const target = Object.hasOwn(targets, chosen) ? targets[chosen] : undefined;
  if (!target) throw new RelayError('unknown_target', `There is no target called "${chosen}".`, { field: 'target' });
  return { name: chosen, target };
}

/**
 * Keeps only the variables the target declares.
 *
 * @throws {RelayError} `invalid_request` naming the first undeclared variable.
 */
export function checkVariables(target: Target, variables: Record<string, string> = {}): Record<string, string> {
  for (const name of Object.keys(variables)) {
    if (!target.variables.includes(name)) {
      throw new RelayError('invalid_request', `This target takes no variable "${name}".`, {
        field: `variables.${name}`,
      });
    }
  }
  return variables;
}

/** The two legs of a call, in the order Mobtexting rings them. */
export function orderLegs(target: Target, visitor: string): { from: string; to: string; visitorLeg: 'from' | 'to' } {
  return target.callFirst === 'agent'
    ? { from: target.to, to: visitor, visitorLeg: 'to' }
    : { from: visitor, to: target.to, visitorLeg: 'from' };
}

/**
 * Counts a hit against rate limits, all or none.
 *
 * @throws {RelayError} `rate_limited` with the seconds until the limit lifts.
 */
export async function enforceLimits(rt: RelayRuntime, rules: LimitRule[]): Promise<void> {
  if (rules.length === 0) return;
  const outcome = await rt.store.consumeLimits(rules, rt.now());
  if (outcome.ok) return;
  const scope = outcome.key.slice(0, outcome.key.indexOf(':')) as LimitScope;
  const retryAfter = Math.max(Math.ceil(outcome.retryAfterMs / 1000), 1);
  rt.log('warn', 'call.rate_limited', { limit: scope, retryAfter });
  throw new RelayError('rate_limited', LIMIT_MESSAGES[scope], { retryAfter });
}

/** Whom a call connects, as decided from the request (and its ticket, if any). */
interface Parties {
  name: string;
  target: Target;
  legs: ReturnType<typeof orderLegs>;
  /** The number that may have one open call at a time: the visitor's or the customer's. */
  number: string;
  /** What the browser is shown for that number. */
  label: string;
}

/** The parties of a call a visitor asked for by typing their number. */
async function visitorParties(rt: RelayRuntime, request: CallRequest, address: string | undefined): Promise<Parties> {
  const { name, target } = resolveTarget(rt.settings.targets, request.target);
  if (target.requireConsent && request.consent !== true) {
    throw new RelayError('invalid_request', 'Please agree to be called before starting the call.', {
      field: 'consent',
    });
  }
  const policy = request.country ? { ...rt.policy, defaultCountry: request.country } : rt.policy;
  const visitor = parseVisitorPhone(request.phone ?? '', policy);
  if (rt.verifyHuman && !(await rt.verifyHuman(request.humanToken ?? '', address))) {
    throw new RelayError('human_check_failed', 'Please complete the check that you are not a robot, then try again.', {
      field: 'humanToken',
    });
  }
  return { name, target, legs: orderLegs(target, visitor.digits), number: visitor.digits, label: visitor.masked };
}

/**
 * The parties of a call a site's backend signed a ticket for: the customer it names, and
 * its agent (or the target's number) rung first. A ticket without a target uses the
 * default one: the page names no target for a ticket.
 */
function ticketParties(rt: RelayRuntime, request: CallRequest, ticket: Ticket): Parties {
  if (request.target !== undefined && request.target !== ticket.target) {
    throw new RelayError('invalid_ticket', 'This call link is for another target.', { field: 'target' });
  }
  const { name, target } = resolveTarget(rt.settings.targets, ticket.target);
  const customer = parseVisitorPhone(ticket.to, rt.policy);
  const agent = ticket.from === undefined ? target.to : parseVisitorPhone(ticket.from, rt.policy).digits;
  // An IVR flow cannot be rung first: the customer is, then the flow.
  const legs = FLOW_ID.test(agent)
    ? orderLegs({ ...target, callFirst: 'visitor' }, customer.digits)
    : { from: agent, to: customer.digits, visitorLeg: 'to' as const };
  return { name, target, legs, number: customer.digits, label: ticket.label ?? customer.masked };
}

/**
 * Starts one call for a validated request: decides whom it connects (a typed number, or a
 * verified ticket used once), claims the number (one call at a time), counts the rate
 * limits, records the call, and only then asks Mobtexting, once, so that a report
 * arriving at once finds its call. A refused call is forgotten and frees what it held;
 * one whose fate is unknown (a time-out, an unreadable answer) is kept, since it may ring.
 */
export async function startCall(
  rt: RelayRuntime,
  request: CallRequest,
  address?: string,
  ticket?: Ticket,
): Promise<CallAccepted> {
  const parties = ticket ? ticketParties(rt, request, ticket) : await visitorParties(rt, request, address);
  if (rt.ownNumbers.has(parties.number)) {
    throw new RelayError('number_not_allowed', 'This number cannot be called from here.', { field: 'phone' });
  }
  const { name, target, number, legs } = parties;
  const variables = checkVariables(target, request.variables);
  const callId = crypto.randomUUID();
  const now = rt.now();
  const expiresAt = now + (target.duration ?? rt.settings.defaultCallMinutes) * 60_000 + rt.settings.reportGraceMs;
  let ticketUsed = false;
  let numberClaimed = false;
  let recorded = false;
  try {
    if (ticket) {
      ticketUsed = await rt.store.claimOnce(`ticket:${ticket.jti}`, Math.max(ticket.exp * 1000 - now, 1000));
      if (!ticketUsed)
        throw new RelayError('invalid_ticket', 'This call link was already used. Reload the page to get a new one.', {
          field: 'ticket',
        });
    }
    const holder = await rt.store.claimNumber(number, callId, expiresAt);
    if (holder !== undefined)
      throw new RelayError('call_in_progress', 'A call to this number is already under way.', { callId: holder });
    numberClaimed = true;
    await enforceLimits(rt, callLimitRules(rt.settings.rateLimits, { number, target: name }));
    const bridge = target.bridge ?? rt.settings.bridge;
    await rt.store.createCall({
      callId,
      state: 'initiated',
      target: name,
      bridge,
      ...legs,
      phone: parties.label,
      createdAt: now,
      updatedAt: now,
      expiresAt,
    });
    recorded = true;
    const body = buildC2cBody({
      bridge,
      ...legs,
      callId,
      record: target.record,
      duration: target.duration,
      attempts: target.attempts,
      webhookId: rt.settings.webhookId,
      variables,
    });
    const accepted = await placeCall(rt.client, body);
    rt.sweeper.start();
    rt.log('info', 'call.initiated', {
      callId,
      target: name,
      phone: parties.label,
      upstreamCallId: accepted.upstreamCallId,
    });
    return { callId, state: 'initiated', phone: parties.label };
  } catch (err) {
    if (err instanceof RelayError && err.details.uncertain) {
      rt.log('warn', 'call.uncertain', { callId, target: name, phone: parties.label, code: err.code });
      throw err;
    }
    // Each step on its own: one the store fails (it expires anyway) must not hide the refusal.
    await Promise.allSettled([
      recorded && rt.store.discardCall(callId),
      ticketUsed && rt.store.releaseOnce(`ticket:${ticket!.jti}`),
      numberClaimed && rt.store.releaseNumber(number, callId),
    ]);
    throw err;
  }
}
