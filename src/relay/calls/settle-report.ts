import type { Logger } from '../log.js';
import type { CallRecords, OrphanReports } from '../store/roles.js';
import type { CallLifecycle } from './lifecycle.js';
import { callOutcome } from './outcome.js';
import { CALL_ID, type CallRecord } from './record.js';
import type { CallReport } from './report.js';

/** What became of a report: the call it ended, the call it came too late for, or none. */
export type ReportResult =
  { matched: false } | { matched: true; callId: string; state: CallRecord['state']; late: boolean };

/** What settling a report needs. */
export interface ReportContext {
  calls: CallLifecycle;
  store: CallRecords & OrphanReports;
  log: Logger;
  now: () => number;
}

/**
 * Ends the call a completion report is about, in the state its leg statuses mean. A
 * report that matches no call is kept for the operator; one for a call that already
 * ended (given up as `unknown`, say) changes nothing and is logged.
 */
export async function settleReport(relay: ReportContext, report: CallReport): Promise<ReportResult> {
  const call = await correlate(relay.store, report);
  if (!call) {
    await relay.store.saveOrphanReport(report.raw, relay.now());
    relay.log('warn', 'webhook.orphan', { status: report.status, bridge: report.bridge });
    return { matched: false };
  }
  const businessLeg = call.visitorLeg === 'from' ? call.to : call.from;
  const state = callOutcome(report, call.visitorLeg, businessLeg.startsWith('flow:'));
  // Talk time is the second leg's: it starts once both sides are connected.
  const talkSeconds = state === 'completed' ? report.billing : undefined;
  const ended = await relay.calls.end(call.callId, {
    state,
    at: relay.now(),
    report: report.raw,
    ...(talkSeconds !== undefined && { talkSeconds }),
  });
  if (ended) return { matched: true, callId: call.callId, state, late: false };
  const current = (await relay.store.getCall(call.callId)) ?? call;
  relay.log('warn', 'webhook.late', { callId: call.callId, state: current.state, reported: state });
  return { matched: true, callId: call.callId, state: current.state, late: true };
}

/** The call a report is about: by the id it carries, else the newest open call with its legs. */
async function correlate(store: CallRecords, report: CallReport): Promise<CallRecord | undefined> {
  if (report.reference && CALL_ID.test(report.reference)) {
    const call = await store.getCall(report.reference);
    if (call) return call;
  }
  return store.findOpenCall({ bridge: report.bridge, from: report.from, to: report.to });
}
