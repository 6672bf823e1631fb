import { fill } from '../shared.js';
import type { RequestFailure } from '../relay-client.js';
import type { WidgetStrings } from '../strings.js';

/** A text of the widget that is one sentence. */
type Sentence = Exclude<keyof WidgetStrings, 'states' | 'ticketStates' | 'countries'>;

/** How the widget answers a refusal. */
export interface Answer {
  /** What the visitor reads. */
  text: string;
  /** The field the refusal is about, shown by that field. */
  field?: 'phone' | 'consent';
  /** Whether Try again may help. */
  offersRetry: boolean;
  /** Whether to offer the `fallback-tel` number: calling through the page does not work now. */
  offersTel: boolean;
}

const RETRY = 1;
const TEL = 2;

/** The refusals a visitor can understand, and what may help them. */
export const ANSWERS: Partial<Record<RequestFailure['code'], [Sentence, number]>> = {
  network: ['network', RETRY | TEL],
  timeout: ['timeout', RETRY | TEL],
  upstream_timeout: ['timeout', RETRY | TEL],
  upstream_error: ['unavailable', RETRY | TEL],
  store_unavailable: ['unavailable', RETRY | TEL],
  origin_not_allowed: ['originRefused', TEL],
  rate_limited: ['rateLimited', RETRY],
  human_check_failed: ['humanCheck', RETRY],
  call_in_progress: ['callInProgress', RETRY],
  invalid_ticket: ['ticketInvalid', 0],
  invalid_phone: ['invalidPhone', 0],
  number_not_allowed: ['numberNotAllowed', 0],
  country_not_allowed: ['countryNotAllowed', 0],
  // The slots chunk says when the target opens, and offers its free slots.
  target_closed: ['closed', 0],
  slot_full: ['slotFull', 0],
};

/**
 * What the widget tells the visitor about a refusal, in the texts `s` of language `lang`.
 * Anything not listed above is the site's to fix (a target or variable the relay does not
 * know, a relay set up wrongly): the visitor reads that calling is not available, and the
 * console says why (see `refine`).
 */
export function answerTo(failure: RequestFailure, s: WidgetStrings, lang: string): Answer {
  if (failure.field === 'consent')
    return { text: s.consentRequired, field: 'consent', offersRetry: false, offersTel: false };
  const [sentence, help] = ANSWERS[failure.code] ?? ['misconfigured', TEL];
  return {
    text: fill(s[sentence], { time: waitTime(failure.retryAfter ?? 60, lang) }),
    ...(failure.field === 'phone' && { field: 'phone' }),
    offersRetry: (help & RETRY) > 0,
    offersTel: (help & TEL) > 0,
  };
}

/** When to try again ("in 30 seconds", "2 मिनट में"): seconds under two minutes, minutes beyond. */
export function waitTime(seconds: number, lang = 'en'): string {
  const format = new Intl.RelativeTimeFormat(lang);
  return seconds < 120 ? format.format(Math.ceil(seconds), 'second') : format.format(Math.ceil(seconds / 60), 'minute');
}
