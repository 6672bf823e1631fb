import type { RequestFailure } from './relay-client.js';
import type { WidgetStrings } from './strings.js';

/** A text of the widget that is one sentence. */
export type Sentence = Exclude<keyof WidgetStrings, 'states' | 'ticketStates' | 'countries'>;

/** How the widget answers a refusal. */
export interface Answer {
  /** What the visitor reads. */
  text: Sentence;
  /** The field the refusal is about, shown by that field. */
  field?: 'phone' | 'consent';
  /** Whether Try again may help. */
  retry: boolean;
  /** Whether to offer the `fallback-tel` number: calling through the page does not work now. */
  tel: boolean;
}

const RETRY = 1;
const TEL = 2;

/** The refusals a visitor can understand, and what may help them. */
const ANSWERS: Partial<Record<RequestFailure['code'], [Sentence, number]>> = {
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
};

/**
 * What the widget tells the visitor about a refusal. Anything not listed above is the
 * site's to fix (a target or variable the relay does not know, a relay set up wrongly):
 * the visitor reads that calling is not available, and {@link developerDetail} says why.
 */
export function answerTo(failure: RequestFailure): Answer {
  if (failure.field === 'consent') return { text: 'consentRequired', field: 'consent', retry: false, tel: false };
  const [text, help] = ANSWERS[failure.code] ?? ['misconfigured', TEL];
  const field = failure.field === 'phone' ? { field: 'phone' as const } : {};
  return { text, ...field, retry: (help & RETRY) > 0, tel: (help & TEL) > 0 };
}

/** For the site's developer, what the relay said about a refusal that is theirs to fix. */
export function developerDetail(failure: RequestFailure, endpoint: string): string | undefined {
  if (failure.code === 'origin_not_allowed') return `${endpoint} refuses ${location.origin}: see MT_ALLOWED_ORIGINS`;
  if (!ANSWERS[failure.code] && failure.field !== 'consent')
    return `${endpoint} refused the call: ${failure.code} ${failure.field ?? ''} ${failure.message ?? ''}`;
}

const warned = new Set<string>();

/** Says something to the developer once per page, in the console. */
export function warnOnce(detail: string): void {
  if (warned.has(detail)) return;
  warned.add(detail);
  console.warn(`mt-click-to-call: ${detail}`);
}
