import type { FinalCallState } from '../protocol/index.js';

/**
 * Every text the widget shows. Override any of them through the `strings` property;
 * `{name}` placeholders are filled in where noted.
 */
export interface WidgetStrings {
  /** The phone field's label. */
  label: string;
  /** The Call button. */
  call: string;
  /** The Call button of a ticket (CRM) widget. `{label}`: who will be called. */
  callTicket: string;
  /** While the relay is asked. */
  submitting: string;
  /** The Call button while the phone rings; with the elapsed time, what screen readers hear of the timer. */
  calling: string;
  /** While the phone rings. `{phone}`: the masked number. */
  initiated: string;
  /** Each final state, as a sentence. */
  states: Record<FinalCallState, string>;
  /** The retry button. */
  retry: string;
  /** Field errors. */
  phoneEmpty: string;
  phoneLength: string;
  invalidPhone: string;
  numberNotAllowed: string;
  consentRequired: string;
  /** The relay asks for a human check that was not passed. */
  humanCheck: string;
  /** Request errors. `{time}` in `rateLimited`: when to try again, e.g. "in 30 seconds". */
  rateLimited: string;
  network: string;
  timeout: string;
  unavailable: string;
  misconfigured: string;
  rejected: string;
  /** A CRM ticket that was used, expired or tampered with. */
  ticketInvalid: string;
  generic: string;
}

const en: WidgetStrings = {
  label: 'Your phone number',
  call: 'Call me',
  callTicket: 'Call {label}',
  submitting: 'Connecting…',
  calling: 'Calling…',
  initiated: 'Calling {phone} now. Please answer.',
  states: {
    completed: 'Call finished. Thank you!',
    busy: 'Your line was busy.',
    'no-answer': 'The call was not answered.',
    canceled: 'The call was canceled.',
    unreachable: 'We could not reach your number.',
    'agent-unavailable': 'No one here could take your call.',
    failed: 'The call did not go through.',
    unknown: 'We do not know how the call went.',
    missed: 'The time for this callback passed before we could call.',
  },
  retry: 'Try again',
  phoneEmpty: 'Enter your phone number.',
  phoneLength: 'Check the digits; add the country code if needed.',
  invalidPhone: 'This is not a valid phone number.',
  numberNotAllowed: 'We cannot call this number. Try a mobile or landline.',
  consentRequired: 'Tick the box to agree to be called.',
  humanCheck: 'Please confirm you are not a robot.',
  rateLimited: 'Too many calls. Try again {time}.',
  network: 'Could not reach the call service. Are you online?',
  timeout: 'The call service took too long to answer.',
  unavailable: 'The call service is unavailable right now.',
  misconfigured: 'This call button is not set up correctly.',
  rejected: 'The call service refused this call.',
  ticketInvalid: 'This call button has expired. Reload the page.',
  generic: 'Something went wrong.',
};

const hi: WidgetStrings = {
  label: 'आपका फ़ोन नंबर',
  call: 'मुझे कॉल करें',
  callTicket: '{label} को कॉल करें',
  submitting: 'जोड़ रहे हैं…',
  calling: 'कॉल जारी…',
  initiated: '{phone} पर कॉल कर रहे हैं। कृपया फ़ोन उठाएँ।',
  states: {
    completed: 'कॉल पूरी हुई। धन्यवाद!',
    busy: 'आपकी लाइन व्यस्त थी।',
    'no-answer': 'कॉल का जवाब नहीं मिला।',
    canceled: 'कॉल रद्द हो गई।',
    unreachable: 'आपके नंबर पर संपर्क नहीं हो सका।',
    'agent-unavailable': 'हमारी ओर से कोई उपलब्ध नहीं था।',
    failed: 'कॉल नहीं लग सकी।',
    unknown: 'कॉल का नतीजा पता नहीं चला।',
    missed: 'कॉलबैक का समय निकल गया, हम कॉल नहीं कर पाए।',
  },
  retry: 'फिर कोशिश करें',
  phoneEmpty: 'अपना फ़ोन नंबर लिखें।',
  phoneLength: 'अंक जाँचें; ज़रूरत हो तो देश का कोड जोड़ें।',
  invalidPhone: 'यह सही फ़ोन नंबर नहीं है।',
  numberNotAllowed: 'इस नंबर पर कॉल नहीं हो सकती। मोबाइल या लैंडलाइन नंबर दें।',
  consentRequired: 'कॉल की सहमति के लिए बॉक्स पर टिक करें।',
  humanCheck: 'कृपया पुष्टि करें कि आप रोबोट नहीं हैं।',
  rateLimited: 'बहुत ज़्यादा कॉल। {time} फिर कोशिश करें।',
  network: 'कॉल सेवा से संपर्क नहीं हुआ। इंटरनेट जाँचें।',
  timeout: 'कॉल सेवा ने जवाब देने में बहुत देर की।',
  unavailable: 'कॉल सेवा अभी उपलब्ध नहीं है।',
  misconfigured: 'यह कॉल बटन ठीक से सेट नहीं है।',
  rejected: 'कॉल सेवा ने यह कॉल अस्वीकार की।',
  ticketInvalid: 'यह कॉल बटन अब मान्य नहीं है। पेज फिर से लोड करें।',
  generic: 'कुछ गड़बड़ हो गई।',
};

/** The built-in languages. */
export const BUILT_IN_STRINGS: Readonly<Record<'en' | 'hi', WidgetStrings>> = { en, hi };

/** Overrides of any strings; `states` may be overridden one state at a time. */
export type StringOverrides = Partial<Omit<WidgetStrings, 'states'>> & { states?: Partial<WidgetStrings['states']> };

/** The strings for a language tag (`hi`, `hi-IN` → Hindi; anything else → English), with overrides applied. */
export function resolveStrings(lang: string, overrides: StringOverrides = {}): WidgetStrings {
  const base = /^hi\b/i.test(lang) ? hi : en;
  return { ...base, ...overrides, states: { ...base.states, ...overrides.states } };
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** `m:ss` for a number of seconds. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * When to try again, in the visitor's language ("in 30 seconds", "2 मिनट में"):
 * seconds under two minutes, minutes beyond. The browser knows the words.
 */
export function waitTime(seconds: number, lang: string): string {
  let format: Intl.RelativeTimeFormat;
  try {
    format = new Intl.RelativeTimeFormat(lang);
  } catch {
    format = new Intl.RelativeTimeFormat('en'); // a page's lang that is no language tag
  }
  return seconds < 120 ? format.format(Math.ceil(seconds), 'second') : format.format(Math.ceil(seconds / 60), 'minute');
}
