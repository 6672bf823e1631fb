import type { CallRequest } from '../../protocol/index.js';
import { FLOW_ID, type Target } from '../config/targets.js';
import { RelayError } from '../errors.js';
import { parseVisitorPhone, type PhonePolicy } from '../phone/visitor-number.js';
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
 * Checks the variables a call passes to its target's IVR flow: each must be one the
 * target declares, and a value from the page must fit that variable's rule (a value the
 * site's backend signed into a ticket is taken as it is). So a page cannot make the
 * business's IVR say what it likes.
 *
 * @throws {RelayError} `invalid_request` naming the first variable at fault.
 */
export function checkVariables(
  target: Target,
  fromPage: Record<string, string> = {},
  signed: Record<string, string> = {},
): Record<string, string> {
  const refuse = (name: string, why: string) => {
    throw new RelayError('invalid_request', `The variable "${name}" ${why}.`, { field: `variables.${name}` });
  };
  for (const name of [...Object.keys(fromPage), ...Object.keys(signed)]) {
    if (!Object.hasOwn(target.variables, name)) refuse(name, 'is not one this target takes');
  }
  for (const [name, value] of Object.entries(fromPage)) {
    const rule = target.variables[name]!;
    if (value.length > rule.maxLength) refuse(name, `must be at most ${rule.maxLength} characters`);
    if (!rule.pattern.test(value)) refuse(name, 'holds characters this target does not allow');
  }
  return { ...fromPage, ...signed };
}

/** The two legs of a call, in the order Mobtexting rings them. */
export interface Legs {
  from: string;
  to: string;
  visitorLeg: 'from' | 'to';
}

/** The legs for a visitor and a target, in the order the target rings them. */
export function orderLegs(target: Pick<Target, 'to' | 'callFirst'>, visitor: string): Legs {
  return target.callFirst === 'agent'
    ? { from: target.to, to: visitor, visitorLeg: 'to' }
    : { from: visitor, to: target.to, visitorLeg: 'from' };
}

/** Whom a call connects, as decided from the request (and its ticket, if any). */
export interface Parties {
  name: string;
  target: Target;
  legs: Legs;
  /** The number that may have one open call at a time: the visitor's or the customer's. */
  number: string;
  /** What the browser is shown for that number. */
  label: string;
}

/** What deciding the parties needs from the relay. */
export interface PartiesContext {
  targets: Record<string, Target>;
  policy: PhonePolicy;
  /** A human check for typed numbers (Turnstile, say), when the relay asks for one. */
  verifyHuman?: (token: string, address: string | undefined) => boolean | Promise<boolean>;
}

/** The parties of a call a visitor asked for by typing their number. */
export async function visitorParties(
  relay: PartiesContext,
  request: CallRequest,
  address: string | undefined,
): Promise<Parties> {
  const { name, target } = resolveTarget(relay.targets, request.target);
  if (target.requireConsent && request.consent !== true) {
    throw new RelayError('invalid_request', 'Please agree to be called before starting the call.', {
      field: 'consent',
    });
  }
  const policy = request.country ? { ...relay.policy, defaultCountry: request.country } : relay.policy;
  const visitor = parseVisitorPhone(request.phone ?? '', policy);
  if (relay.verifyHuman && !(await relay.verifyHuman(request.humanToken ?? '', address))) {
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
export function ticketParties(relay: PartiesContext, request: CallRequest, ticket: Ticket): Parties {
  if (request.target !== undefined && request.target !== ticket.target) {
    throw new RelayError('invalid_ticket', 'This call link is for another target.', { field: 'target' });
  }
  const { name, target } = resolveTarget(relay.targets, ticket.target);
  const customer = parseVisitorPhone(ticket.to, relay.policy);
  const agent = ticket.from === undefined ? target.to : parseVisitorPhone(ticket.from, relay.policy).digits;
  // An IVR flow cannot be rung first: the customer is, then the flow.
  const legs: Legs = FLOW_ID.test(agent)
    ? orderLegs({ to: agent, callFirst: 'visitor' }, customer.digits)
    : { from: agent, to: customer.digits, visitorLeg: 'to' };
  return { name, target, legs, number: customer.digits, label: ticket.label || customer.masked };
}
