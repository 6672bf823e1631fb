import type { Target } from '../config/targets.js';
import { redactingLogger } from '../log.js';
import { buildC2cBody } from '../upstream/c2c-body.js';
import { postC2c } from '../upstream/mobtexting.js';
import type { LifecycleContext } from './lifecycle-context.js';
import type { CallRecord } from './record.js';

/**
 * Asks Mobtexting, once, to place a recorded call. `hidden` values (a verification's
 * code) are kept out of every line the upstream client logs, even if Mobtexting's
 * answer repeats them.
 *
 * @throws {RelayError} the upstream's refusals; `details.uncertain` when the call may ring all the same.
 */
export async function dialCall(
  relay: Pick<LifecycleContext, 'settings' | 'log' | 'upstream'>,
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
  const accepted = await postC2c(upstream, body);
  log('info', 'call.initiated', {
    callId: call.callId,
    target: call.target,
    phone: call.phone,
    upstreamCallId: accepted.upstreamCallId,
  });
}
