import type { RelayOptions } from '../../src/relay/index.js';
import { TEST_BRIDGE, TEST_TARGETS, TEST_WEBHOOK_SECRET, uniqueUnixtime } from './relay.js';

/**
 * A desk in India that answers Mon-Fri 09:30-18:30 and Sat 10:00-14:00, closed on Monday
 * 30 November 2026, offering 15-minute callback slots (two per slot, three days ahead),
 * and redialling once, ten minutes after nobody there could take a call.
 */
export const DESK: RelayOptions['targets'][string] = {
  to: '918046000400',
  duration: 15,
  variables: ['Name'],
  hours: { timezone: 'Asia/Kolkata', 'mon-fri': '09:30-18:30', sat: '10:00-14:00' },
  holidays: ['2026-11-30'],
  slots: { minutes: 15, daysAhead: 3, perSlot: 2 },
  retry: { after: '10m', on: ['agent-unavailable'], max: 1 },
};

/** The test targets and the desk. */
export const SCHEDULING_TARGETS: RelayOptions['targets'] = { ...TEST_TARGETS, desk: DESK };

/** Friday 27 November 2026, 11:30 in India: the desk is open. */
export const FRIDAY_1130_IST = Date.parse('2026-11-27T06:00:00Z');
/** Friday 27 November 2026, 19:00 in India: the desk is closed until Saturday 10:00. */
export const FRIDAY_1900_IST = Date.parse('2026-11-27T13:30:00Z');

export const iso = (at: number) => new Date(at).toISOString();

/** A completion report for a call to the desk, as Mobtexting would post it. */
export function deskReport(
  digits: string,
  statuses: { status: string; status1: string; status2: string },
  mid?: string,
): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
    body: JSON.stringify({
      bridge: TEST_BRIDGE,
      from: digits,
      to: '918046000400',
      ...statuses,
      unixtime: uniqueUnixtime(),
      ...(mid && { mid }),
    }),
  };
}

/** The visitor answered; nobody at the desk did. */
export const NOBODY_AT_THE_DESK = { status: 'NOANSWER', status1: 'ANSWER', status2: 'NOANSWER' };
/** Both answered. */
export const ANSWERED = { status: 'COMPLETED', status1: 'ANSWER', status2: 'ANSWER' };
