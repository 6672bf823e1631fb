import type { FinalCallState } from '../../protocol/index.js';
import type { CallReport } from './report.js';

/** How a leg that was never connected failed, from the visitor's point of view. */
const VISITOR_FAILED: ReadonlyMap<string, FinalCallState> = new Map([
  ['BUSY', 'busy'],
  ['NOANSWER', 'no-answer'],
  ['CANCEL', 'canceled'],
  ['CONGESTION', 'unreachable'],
  ['CHANUNAVAIL', 'unreachable'],
]);

/** Business leg statuses that mean nobody took the call there. */
const BUSINESS_DOWN: ReadonlySet<string> = new Set(['NOANSWER', 'MISSED', 'BUSY', 'CONGESTION', 'CHANUNAVAIL']);

const answered = (status: string) => status === 'ANSWER' || status === 'COMPLETED';

/**
 * The call's final state from Mobtexting's statuses, read by leg role: which leg is the
 * visitor's depends on which was rung first (`status1` is the first leg).
 *
 * - `COMPLETED`, or both legs answered (or an IVR flow `RECEIVED` the call): `completed`
 * - the visitor's leg BUSY / NOANSWER / CANCEL / CONGESTION / CHANUNAVAIL: `busy`,
 *   `no-answer`, `canceled`, `unreachable`
 * - the visitor answered but the business leg did not (NOANSWER, MISSED, BUSY, …), or the
 *   business was rung first and never answered, so the visitor was not rung:
 *   `agent-unavailable`
 * - anything else: `failed`
 */
export function callOutcome(
  report: Pick<CallReport, 'status' | 'status1' | 'status2'>,
  visitorLeg: 'from' | 'to',
  businessIsFlow: boolean,
): FinalCallState {
  const visitor = visitorLeg === 'from' ? report.status1 : report.status2;
  const business = visitorLeg === 'from' ? report.status2 : report.status1;
  if (report.status === 'COMPLETED') return 'completed';
  if (answered(visitor) && (answered(business) || (businessIsFlow && business === 'RECEIVED'))) return 'completed';
  const failed = VISITOR_FAILED.get(visitor);
  if (failed) return failed;
  if (BUSINESS_DOWN.has(business) && (answered(visitor) || (visitorLeg === 'to' && visitor === '')))
    return 'agent-unavailable';
  return 'failed';
}
