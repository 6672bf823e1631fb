import type { CallAccepted, CallRequest } from '../protocol/index.js';
import { RelayError } from './errors.js';
import { buildC2cBody, placeCall } from './mobtexting.js';
import { parseVisitorPhone } from './phone.js';
import type { RelayRuntime } from './runtime.js';
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
 * Starts one call for a validated request: checks the number and the target's rules,
 * asks Mobtexting once, and records the call.
 */
export async function startCall(rt: RelayRuntime, request: CallRequest): Promise<CallAccepted> {
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
  const legs = orderLegs(target, visitor.digits);
  const callId = crypto.randomUUID();
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
  const longestCall = (target.duration ?? rt.settings.defaultCallMinutes) * 60_000;
  await rt.store.createCall({
    callId,
    state: 'initiated',
    target: name,
    bridge,
    from: legs.from,
    to: legs.to,
    visitorLeg: legs.visitorLeg,
    phone: visitor.masked,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + longestCall + rt.settings.reportGraceMs,
    ...(accepted.upstreamCallId !== undefined && { upstreamCallId: accepted.upstreamCallId }),
  });
  rt.sweeper.start();
  rt.log('info', 'call.initiated', { callId, target: name, phone: visitor.masked, upstreamCallId: accepted.upstreamCallId });
  return { callId, state: 'initiated', phone: visitor.masked };
}
