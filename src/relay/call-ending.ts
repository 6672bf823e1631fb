import type { RelayRuntime } from './runtime.js';
import type { CallEnding, CallRecord } from './store/types.js';

/**
 * Ends an open call: stores its final state and event, logs it, and hands it to the
 * site's `onCallEnded` hook. Answers the ended call, or `undefined` when it had already
 * ended (a repeat changes nothing).
 */
export async function endCall(rt: RelayRuntime, callId: string, ending: CallEnding): Promise<CallRecord | undefined> {
  const call = await rt.store.finishCall(callId, ending);
  if (!call) return undefined;
  rt.log('info', 'call.ended', {
    callId,
    state: call.state,
    target: call.target,
    phone: call.phone,
    talkSeconds: call.talkSeconds,
  });
  if (rt.onCallEnded) {
    const recordingUrl =
      typeof ending.report?.recording_url === 'string' && ending.report.recording_url
        ? ending.report.recording_url
        : undefined;
    // The hook is the site's code: its failure must not undo or delay the stored state.
    void Promise.resolve()
      .then(() =>
        rt.onCallEnded!({
          callId,
          ...(call.target !== undefined && { target: call.target }),
          state: call.state as CallEnding['state'],
          from: call.from,
          to: call.to,
          bridge: call.bridge,
          ...(call.talkSeconds !== undefined && { talkSeconds: call.talkSeconds }),
          ...(recordingUrl !== undefined && { recordingUrl }),
          ...(ending.report !== undefined && { report: ending.report }),
        }),
      )
      .catch((err: unknown) =>
        rt.log('error', 'hook.on_call_ended_failed', {
          callId,
          reason: err instanceof Error ? err.message : String(err),
        }),
      );
  }
  return call;
}

/** Gives up on a call whose report is overdue: it becomes `unknown`. Answers the call as it now stands. */
export async function settleIfOverdue(rt: RelayRuntime, call: CallRecord): Promise<CallRecord> {
  if (call.state !== 'initiated' || rt.now() < call.expiresAt) return call;
  return (
    (await endCall(rt, call.callId, { state: 'unknown', at: rt.now() })) ??
    (await rt.store.getCall(call.callId)) ??
    call
  );
}

/**
 * Settles every overdue call, a batch at a time; run now and then so that calls nobody
 * watches end as `unknown` too, and `onCallEnded` hears of them.
 */
export async function sweepOverdueCalls(rt: RelayRuntime): Promise<number> {
  let settled = 0;
  for (;;) {
    const due = await rt.store.overdueCalls(rt.now(), 100);
    let inBatch = 0;
    for (const callId of due) if (await endCall(rt, callId, { state: 'unknown', at: rt.now() })) inBatch++;
    settled += inBatch;
    // A full batch that settled nothing would come back the same: stop rather than spin.
    if (due.length < 100 || inBatch === 0) return settled;
  }
}
