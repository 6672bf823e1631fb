import type { CallAccepted, CallRequest } from '../protocol/index.js';
import { RelayError } from './errors.js';
import { buildC2cBody, placeCall } from './mobtexting.js';
import { parseVisitorPhone } from './phone.js';
import type { RelayRuntime } from './runtime.js';
import { callLimitRules, LIMIT_MESSAGES, type LimitScope } from './security/rate-limits.js';
import type { LimitRule } from './store/types.js';
import type { Target } from './targets.js';

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

/**
 * Starts one call for a validated request: checks the number and the target's rules,
 * the human check, one call per number at a time and the rate limits, then asks
 * Mobtexting once and records the call.
 */
export async function startCall(rt: RelayRuntime, request: CallRequest, address?: string): Promise<CallAccepted> {
  const { name, target } = resolveTarget(rt.settings.targets, request.target);
  if (target.requireConsent && request.consent !== true) {
    throw new RelayError('invalid_request', 'Please agree to be called before starting the call.', { field: 'consent' });
  }
  const variables = checkVariables(target, request.variables);
  const policy = request.country ? { ...rt.policy, defaultCountry: request.country } : rt.policy;
  const visitor = parseVisitorPhone(request.phone ?? '', policy);
  const bridge = target.bridge ?? rt.settings.bridge;
  if (visitor.digits === target.to || visitor.digits === bridge) {
    throw new RelayError('number_not_allowed', 'This number cannot be called from here.', { field: 'phone' });
  }
  if (rt.verifyHuman && !(await rt.verifyHuman(request.humanToken ?? '', address))) {
    throw new RelayError('human_check_failed', 'Please complete the check that you are not a robot, then try again.', { field: 'humanToken' });
  }
  const legs = orderLegs(target, visitor.digits);
  const callId = crypto.randomUUID();
  const longestCall = (target.duration ?? rt.settings.defaultCallMinutes) * 60_000;
  const expiresAt = rt.now() + longestCall + rt.settings.reportGraceMs;
  const holder = await rt.store.claimNumber(visitor.digits, callId, expiresAt);
  if (holder !== undefined) {
    throw new RelayError('call_in_progress', 'A call to this number is already under way.', { callId: holder });
  }
  try {
    await enforceLimits(rt, callLimitRules(rt.settings.rateLimits, { number: visitor.digits, target: name }));
    return await placeAndRecord(rt, { callId, name, target, legs, bridge, variables, visitor: visitor.masked, expiresAt });
  } catch (err) {
    await rt.store.releaseNumber(visitor.digits, callId);
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
  /** The visitor's number, masked. */
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
  });
  rt.sweeper.start();
  rt.log('info', 'call.initiated', { callId, target: name, phone: plan.visitor, upstreamCallId: accepted.upstreamCallId });
  return { callId, state: 'initiated', phone: plan.visitor };
}
