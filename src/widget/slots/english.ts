import type { SlotTexts } from '../strings.js';

/** The English of callback slots and booked callbacks; other languages carry their own. */
export const SLOTS_ENGLISH: SlotTexts = {
  opens: 'We open {time}.',
  pickTime: 'Pick a time for us to call you',
  noSlots: 'No time is free in the coming days.',
  book: 'Book this time',
  later: 'Call me back later',
  scheduled: 'We will call you {time}.',
  redial: 'No one could take your call. We will call you again {time}.',
  withdraw: 'Cancel the callback',
  zoneNote: 'Times are in your time zone, {yours}. We are in {ours}.',
};
