import type { RecoveryTexts } from '../strings.js';

/**
 * The English of refusals, of outcomes other than a completed call, and of a late one;
 * other languages carry their own.
 */
export const RECOVERY_ENGLISH: RecoveryTexts = {
  numberNotAllowed: 'We cannot call this number. Try a mobile or landline.',
  countryNotAllowed: 'We cannot call numbers from this country.',
  humanCheck: 'Please confirm you are not a robot.',
  rateLimited: 'Too many calls. Try again {time}.',
  callInProgress: 'A call to this number is already under way.',
  timeout: 'The call service took too long to answer.',
  unavailable: 'The call service is unavailable right now.',
  misconfigured: 'Calling is not available right now.',
  originRefused: 'This page may not place calls.',
  fallbackTel: 'You can also call us on {tel}.',
  late: 'Your call is under way, or its result is late.',
  closed: 'We are closed right now.',
  slotFull: 'That time was just taken. Pick another.',
  states: {
    busy: 'Your line was busy.',
    'no-answer': 'The call was not answered.',
    canceled: 'The call was canceled.',
    unreachable: 'We could not reach your number.',
    'agent-unavailable': 'No one here could take your call.',
    unknown: 'We do not know how the call went.',
    missed: 'The time for this callback passed before we could call.',
  },
};
