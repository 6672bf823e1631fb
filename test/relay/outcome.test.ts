import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FinalCallState } from '../../src/protocol/index.js';
import { callOutcome } from '../../src/relay/calls/outcome.js';

type Row = [status: string, status1: string, status2: string, expected: FinalCallState];

// The visitor is rung first: status1 is the visitor's leg, status2 the business's.
const VISITOR_FIRST: Row[] = [
  ['COMPLETED', 'ANSWER', 'ANSWER', 'completed'],
  ['COMPLETED', 'RECEIVED', 'ANSWER', 'completed'],
  ['ANSWER', 'ANSWER', 'ANSWER', 'completed'],
  ['BUSY', 'BUSY', '', 'busy'],
  ['NOANSWER', 'NOANSWER', '', 'no-answer'],
  ['CANCEL', 'CANCEL', '', 'canceled'],
  ['CONGESTION', 'CONGESTION', '', 'unreachable'],
  ['CHANUNAVAIL', 'CHANUNAVAIL', '', 'unreachable'],
  ['NOANSWER', 'ANSWER', 'NOANSWER', 'agent-unavailable'],
  ['MISSED', 'ANSWER', 'MISSED', 'agent-unavailable'],
  ['BUSY', 'ANSWER', 'BUSY', 'agent-unavailable'],
  ['CONGESTION', 'ANSWER', 'CONGESTION', 'agent-unavailable'],
  ['CHANUNAVAIL', 'ANSWER', 'CHANUNAVAIL', 'agent-unavailable'],
  ['RECEIVED', 'ANSWER', 'RECEIVED', 'failed'],
  ['CANCEL', 'ANSWER', 'CANCEL', 'failed'],
  ['FAILED', 'FAILED', '', 'failed'],
  ['', '', '', 'failed'],
];

// The agent is rung first: status1 is the business's leg, status2 the visitor's.
const AGENT_FIRST: Row[] = [
  ['COMPLETED', 'ANSWER', 'ANSWER', 'completed'],
  ['BUSY', 'ANSWER', 'BUSY', 'busy'],
  ['NOANSWER', 'ANSWER', 'NOANSWER', 'no-answer'],
  ['CANCEL', 'ANSWER', 'CANCEL', 'canceled'],
  ['CHANUNAVAIL', 'ANSWER', 'CHANUNAVAIL', 'unreachable'],
  ['NOANSWER', 'NOANSWER', '', 'agent-unavailable'],
  ['BUSY', 'BUSY', '', 'agent-unavailable'],
  ['CHANUNAVAIL', 'CHANUNAVAIL', '', 'agent-unavailable'],
  ['ANSWER', 'ANSWER', 'ANSWER', 'completed'],
];

describe('callOutcome', () => {
  for (const [status, status1, status2, expected] of VISITOR_FIRST) {
    it(`visitor first: ${status}/${status1}/${status2 || '-'} is ${expected}`, () => {
      assert.equal(callOutcome({ status, status1, status2 }, 'from', false), expected);
    });
  }
  for (const [status, status1, status2, expected] of AGENT_FIRST) {
    it(`agent first: ${status}/${status1}/${status2 || '-'} is ${expected}`, () => {
      assert.equal(callOutcome({ status, status1, status2 }, 'to', false), expected);
    });
  }

  it('counts an IVR flow that RECEIVED the call as completed, but not a number that did', () => {
    assert.equal(callOutcome({ status: 'ANSWER', status1: 'ANSWER', status2: 'RECEIVED' }, 'from', true), 'completed');
    assert.equal(callOutcome({ status: 'ANSWER', status1: 'ANSWER', status2: 'RECEIVED' }, 'from', false), 'failed');
  });

  it('reads the same statuses differently by leg role', () => {
    const statuses = { status: 'BUSY', status1: 'BUSY', status2: '' };
    assert.equal(callOutcome(statuses, 'from', false), 'busy');
    assert.equal(callOutcome(statuses, 'to', false), 'agent-unavailable');
  });
});
