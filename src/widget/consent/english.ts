import type { ConsentTexts } from '../strings.js';

/** The consent box's English; other languages carry their own. */
export const CONSENT_ENGLISH: ConsentTexts = {
  consentRequired: 'Tick the box to agree to be called.',
};
