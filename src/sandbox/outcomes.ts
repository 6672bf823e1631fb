import type { FinalCallState } from '../protocol/index.js';

/**
 * What the sandbox does with a call, chosen by the last digits of the visitor's number,
 * like a payment provider's test cards.
 */
export type SandboxOutcome =
  | Extract<FinalCallState, 'completed' | 'busy' | 'no-answer' | 'agent-unavailable' | 'unreachable' | 'canceled'>
  | 'upstream-error'
  | 'no-report'
  | 'misheard';

/** The test numbers' endings and what each does. */
export const TEST_NUMBER_ENDINGS: Readonly<Record<string, SandboxOutcome>> = {
  '0001': 'busy',
  '0002': 'no-answer',
  '0003': 'agent-unavailable',
  '0004': 'unreachable',
  '0005': 'canceled',
  '0006': 'upstream-error',
  '0007': 'no-report',
  // An IVR flow's call is heard wrongly: the code the visitor takes down is wrong. Any
  // other call completes.
  '0008': 'misheard',
};

/** The outcome for a number: by its last four digits, `completed` for any other. */
export function outcomeForNumber(digits: string): SandboxOutcome | undefined {
  return TEST_NUMBER_ENDINGS[digits.slice(-4)];
}

/** Mobtexting's status values for the two legs and the call. */
export interface LegStatuses {
  status: string;
  status1: string;
  status2: string;
}

const VISITOR_FAILS: Partial<Record<SandboxOutcome, string>> = {
  busy: 'BUSY',
  'no-answer': 'NOANSWER',
  unreachable: 'CHANUNAVAIL',
  canceled: 'CANCEL',
};

/**
 * The statuses Mobtexting would report for an outcome. A leg never rung reports an empty
 * status; the leg rung first is `status1`.
 */
export function legStatuses(outcome: SandboxOutcome, visitorLeg: 'from' | 'to', toIsFlow: boolean): LegStatuses {
  const answered = toIsFlow ? 'RECEIVED' : 'ANSWER';
  const visitorFails = VISITOR_FAILS[outcome];
  if (visitorLeg === 'from') {
    if (visitorFails) return { status: visitorFails, status1: visitorFails, status2: '' };
    if (outcome === 'agent-unavailable') return { status: 'NOANSWER', status1: 'ANSWER', status2: 'NOANSWER' };
    return { status: 'COMPLETED', status1: 'ANSWER', status2: answered };
  }
  // The agent is rung first: an unavailable agent means the visitor is never rung.
  if (outcome === 'agent-unavailable') return { status: 'NOANSWER', status1: 'NOANSWER', status2: '' };
  if (visitorFails) return { status: visitorFails, status1: 'ANSWER', status2: visitorFails };
  return { status: 'COMPLETED', status1: 'ANSWER', status2: 'ANSWER' };
}
