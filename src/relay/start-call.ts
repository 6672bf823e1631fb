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
export function resolveTarget(targets: Record<string, Target>, name: string | undefined): { name: string; target: Target } {
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
      throw new RelayError('invalid_request', `This target takes no variable "${name}".`, { field: `variables.${name}` });
    }
  }
  return variables;
}

/** The two legs of a call, in the order Mobtexting rings them. */
export function orderLegs(target: Target, visitor: string): { from: string; to: string; visitorLeg: 'from' | 'to' } {
  return target.callFirst === 'agent' ? { from: target.to, to: visitor, visitorLeg: 'to' } : { from: visitor, to: target.to, visitorLeg: 'from' };
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
    throw new RelayError('invalid_request', 'Please agree to be called before starting the call.', { field: 'consent' });
  }
  const policy = request.country ? { ...rt.policy, defaultCountry: request.country } : rt.policy;
  const visitor = parseVisitorPhone(request.phone ?? '', policy);
  if (visitor.digits === target.to || visitor.digits === (target.bridge ?? rt.settings.bridge)) {
    throw new RelayError('number_not_allowed', 'This number cannot be called from here.', { field: 'phone' });
  }
  if (rt.verifyHuman && !(await rt.verifyHuman(request.humanToken ?? '', address))) {
    throw new RelayError('human_check_failed', 'Please complete the check that you are not a robot, then try again.', { field: 'humanToken' });
  }
  return { name, target, legs: orderLegs(target, visitor.digits), number: visitor.digits, label: visitor.masked };
}

/**
 * The parties of a call a site's backend signed a ticket for: the customer it names, and
 * its agent (or the target's number) rung first. Each ticket serves one call.
 */
async function ticketParties(rt: RelayRuntime, request: CallRequest, ticket: Ticket): Promise<Parties> {
  if (request.target !== undefined && ticket.target !== undefined && request.target !== ticket.target) {
    throw new RelayError('invalid_ticket', 'This call link is for another target.', { field: 'target' });
  }
  const { name, target } = resolveTarget(rt.settings.targets, ticket.target ?? request.target);
  const customer = parseVisitorPhone(ticket.to, rt.policy);
  const agent = ticket.from === undefined ? target.to : parseVisitorPhone(ticket.from, rt.policy).digits;
  if (!(await rt.store.claimOnce(`ticket:${ticket.jti}`, Math.max(ticket.exp * 1000 - rt.now(), 1000)))) {
    throw new RelayError('invalid_ticket', 'This call link was already used. Reload the page to get a new one.', { field: 'ticket' });
  }
  // An IVR flow cannot be rung first: the customer is, then the flow.
  const legs = FLOW_ID.test(agent) ? orderLegs({ ...target, callFirst: 'visitor' }, customer.digits) : { from: agent, to: customer.digits, visitorLeg: 'to' as const };
  return { name, target, legs, number: customer.digits, label: ticket.label ?? customer.masked };
}

/**
 * Starts one call for a validated request: decides whom it connects (a typed number, or a
 * verified ticket), checks one call per number at a time and the rate limits, then asks
 * Mobtexting once and records the call.
 */
export async function startCall(rt: RelayRuntime, request: CallRequest, address?: string, ticket?: Ticket): Promise<CallAccepted> {
  const parties = ticket ? await ticketParties(rt, request, ticket) : await visitorParties(rt, request, address);
  const { name, target, number } = parties;
  const variables = checkVariables(target, request.variables);
  const callId = crypto.randomUUID();
  const longestCall = (target.duration ?? rt.settings.defaultCallMinutes) * 60_000;
  const expiresAt = rt.now() + longestCall + rt.settings.reportGraceMs;
  const holder = await rt.store.claimNumber(number, callId, expiresAt);
  if (holder !== undefined) {
    throw new RelayError('call_in_progress', 'A call to this number is already under way.', { callId: holder });
  }
  try {
    await enforceLimits(rt, callLimitRules(rt.settings.rateLimits, { number, target: name }));
    return await placeAndRecord(rt, { callId, name, target, legs: parties.legs, bridge: target.bridge ?? rt.settings.bridge, variables, visitor: parties.label, expiresAt });
  } catch (err) {
    await rt.store.releaseNumber(number, callId);
    throw err;
  }
}

interface PlannedCall {
  callId: string;
  name: string;
  target: Target;
  legs: ReturnType<typeof orderLegs>;
  bridge: string;
  variables: Record<string, string>;
  /** What the browser is shown for the number rung: masked, or the ticket's label. */
  visitor: string;
  expiresAt: number;
}

async function placeAndRecord(rt: RelayRuntime, plan: PlannedCall): Promise<CallAccepted> {
  const { callId, name, target, legs, bridge, variables } = plan;
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
  const now = rt.now();
  // The call is placed: if it cannot be recorded now, say so loudly, for the operator.
  await rt.store.createCall({
    callId,
    state: 'initiated',
    target: name,
    bridge,
    from: legs.from,
    to: legs.to,
    visitorLeg: legs.visitorLeg,
    phone: plan.visitor,
    createdAt: now,
    updatedAt: now,
    expiresAt: plan.expiresAt,
    ...(accepted.upstreamCallId !== undefined && { upstreamCallId: accepted.upstreamCallId }),
  }).catch((err: unknown) => {
    rt.log('error', 'call.untracked', { callId, target: name, phone: plan.visitor, upstreamCallId: accepted.upstreamCallId });
    throw err;
  });
  rt.sweeper.start();
  rt.log('info', 'call.initiated', { callId, target: name, phone: plan.visitor, upstreamCallId: accepted.upstreamCallId });
  return { callId, state: 'initiated', phone: plan.visitor };
}
