import { CONSENT_ENGLISH } from './consent/english.js';
import { TICKET_ENGLISH } from './crm/english.js';
import { LAUNCHER_ENGLISH } from './launcher/english.js';
import { RECOVERY_ENGLISH } from './recovery/english.js';
import { SLOTS_ENGLISH } from './slots/english.js';
import { VERIFY_ENGLISH } from './verify/english.js';
import { ENGLISH, type WidgetStrings } from './strings.js';

/**
 * Every English text of the widget, for pages and tests that want them all at once (the
 * widget itself takes those of its chunks from those chunks).
 */
export const ENGLISH_STRINGS: WidgetStrings = {
  ...ENGLISH,
  ...TICKET_ENGLISH,
  ...LAUNCHER_ENGLISH,
  ...RECOVERY_ENGLISH,
  ...CONSENT_ENGLISH,
  ...SLOTS_ENGLISH,
  ...VERIFY_ENGLISH,
  states: { ...ENGLISH.states, ...RECOVERY_ENGLISH.states },
};
