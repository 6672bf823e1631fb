import type { Target } from '../config/targets.js';
import { RelayError } from '../errors.js';
import { redactingLogger } from '../log.js';
import { buildC2cBody } from '../upstream/c2c-body.js';
import { postC2c } from '../upstream/mobtexting.js';
import type { LifecycleContext } from './lifecycle-context.js';
import type { CallRecord } from './record.js';

/**
 * Asks Mobtexting, once, to place a recorded call, and tells the relay's activity how
 * it went (`call.dialled`: accepted or the error, and how long it took). `hidden` values
 * (a verification's code) are kept out of every line the upstream client logs, even if
 * Mobtexting's answer repeats them.
 *
 * @throws {RelayError} the upstream's refusals; `details.uncertain` when the call may ring all the same.
 */
export async function dialCall(
  relay: Pick<LifecycleContext, 'settings' | 'log' | 'upstream' | 'now' | 'activity'>,
  call: CallRecord,
  target: Target,
  variables: Record<string, string>,
  hidden: string[] = [],
): Promise<void> {
  const { settings, log } = relay;
  const upstream = hidden.length > 0 ? { ...relay.upstream, log: redactingLogger(log, hidden) } : relay.upstream;
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
  const { activity, now } = relay;
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
