import type { Logger } from '../log.js';
import type { CallRecords, OrphanReports } from '../store/roles.js';
import type { Background, CallLifecycle } from './lifecycle.js';
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
export async function settleReport(
  relay: ReportContext,
  report: CallReport,
  background?: Background,
): Promise<ReportResult> {
  const call = await correlate(relay.store, report);
  if (!call) {
    await relay.store.saveOrphanReport(report.raw, relay.now());
    relay.log('warn', 'webhook.orphan', { status: report.status, bridge: report.bridge });
    return { matched: false };
  }
  const businessLeg = call.visitorLeg === 'from' ? call.to : call.from;
  const state = callOutcome(report, call.visitorLeg, businessLeg.startsWith('flow:'));
  // Talk time is the second leg's: it starts once both sides are connected. It cannot be
  // longer than the call could last; a report that says so is not believed on that point.
  const longest = Math.ceil((call.expiresAt - call.createdAt) / 1000);
  let talkSeconds = state === 'completed' ? report.billing : undefined;
  if (talkSeconds !== undefined && talkSeconds > longest) {
    relay.log('warn', 'webhook.implausible', { callId: call.callId, field: 'billing', longest });
    talkSeconds = undefined;
  }
  const ended = await relay.calls.end(
    call.callId,
    { state, at: relay.now(), report: report.raw, ...(talkSeconds !== undefined && { talkSeconds }) },
    background,
  );
  if (ended) return { matched: true, callId: call.callId, state, late: false };
  const current = (await relay.store.getCall(call.callId)) ?? call;
  relay.log('warn', 'webhook.late', { callId: call.callId, state: current.state, reported: state });
  return { matched: true, callId: call.callId, state: current.state, late: true };
}

/**
 * The call a report is about: by the id it carries, if that call has the report's legs
 * (bridge and both numbers), else the newest open call with those legs.
 */
async function correlate(store: CallRecords, report: CallReport): Promise<CallRecord | undefined> {
  const legs = { bridge: report.bridge, from: report.from, to: report.to };
  if (report.reference && CALL_ID.test(report.reference)) {
    const call = await store.getCall(report.reference);
    if (call && call.bridge === legs.bridge && call.from === legs.from && call.to === legs.to) return call;
  }
  return store.findOpenCall(legs);
}
