import type { FinalCallState } from '../protocol/index.js';

/**
 * Every text the widget shows. Override any of them through the `strings` property;
 * `{name}` placeholders are filled in where noted.
 */
export interface WidgetStrings {
  /** The phone field's label (also the `label` attribute). */
  label: string;
  /** The line under the field. `{country}`: the country's name, in the visitor's language. */
  hint: string;
  /** Countries' names for the hint, by ISO code; the browser names the others. */
  countries: Record<string, string>;
  /** The Call button (also the `button-label` attribute). */
  call: string;
  /** The Call button of a ticket (CRM) widget. `{label}`: who will be called. */
  callTicket: string;
  /** While the relay is asked. */
  submitting: string;
  /** The Call button while the phone rings; with the elapsed time, what screen readers hear of the timer. */
  calling: string;
  /** While the phone rings. `{phone}`: the masked number. */
  initiated: string;
  /** When the ringing time has passed and no outcome has arrived yet. */
  late: string;
  /** Each final state, as a sentence. */
  states: Record<FinalCallState, string>;
  /** A ticket's call while it rings, said to the agent. `{label}`: the customer. */
  ticketInitiated: string;
  /** A ticket's call once its ringing time has passed. `{label}`: the customer. */
  ticketLate: string;
  /** Each final state of a ticket's call, said to the agent. `{label}`: the customer. */
  ticketStates: Record<FinalCallState, string>;
  /** A ticket button while the agent is on another call (on this page or another tab). */
  agentBusy: string;
  /** The retry button. */
  retry: string;
  /** Field errors. */
  phoneEmpty: string;
  phoneLength: string;
  invalidPhone: string;
  numberNotAllowed: string;
  countryNotAllowed: string;
  consentRequired: string;
  /** The relay asks for a human check that was not passed. */
  humanCheck: string;
  /** Request errors. `{time}` in `rateLimited`: when to try again, e.g. "in 30 seconds". */
  rateLimited: string;
  /** Someone already has a call to this number under way. */
  callInProgress: string;
  network: string;
  timeout: string;
  /** The call service fails for a while (Mobtexting or the relay's store). */
  unavailable: string;
  /** Calling cannot work from this page as set up (the console says why). */
  misconfigured: string;
  /** The relay does not take calls from this page's origin. */
  originRefused: string;
  /** A CRM ticket that was used, expired or tampered with. */
  ticketInvalid: string;
  /** Offers the `fallback-tel` number. `{tel}`: the number, a link. */
  fallbackTel: string;
  /** The target is closed now (`target_closed`). */
  closed: string;
  /** The slot chosen filled up meanwhile (`slot_full`). */
  slotFull: string;
  /** When a closed target opens. `{time}`: the day and time, in the visitor's time zone. */
  opens: string;
  /** The callback slot picker's title. */
  pickTime: string;
  /** The picker when no slot is free. */
  noSlots: string;
  /** Books the chosen slot. */
  book: string;
  /** Offers the slot picker after a call no one took (`agent-unavailable`, `no-answer`). */
  later: string;
  /** A booked callback. `{time}`: when the visitor will be called. */
  scheduled: string;
  /** A redial the relay booked by itself after no one took the call. `{time}`: when. */
  redial: string;
  /** Withdraws a booked callback. */
  withdraw: string;
  /** Under the picker when the visitor's time zone is not the business's. `{yours}`, `{ours}`: the zones. */
  zoneNote: string;
  /** While the relay rings the visitor with a code. `{phone}`: the masked number. */
  codeSent: string;
  /** The code field's label. `{digits}`: how many digits the code has. */
  codeLabel: string;
  /** Checks the code typed. */
  check: string;
  /** Check was pressed with no code typed. */
  codeEmpty: string;
  /** A wrong code. `{left}`: how many more codes may be tried. */
  wrongCode: string;
  /** The code may no longer be used (ten minutes, or too many wrong codes). */
  codeExpired: string;
  /** Asks for a new code, once the last call has had its time. */
  resend: string;
  /** A widget that only verifies (`verify` without `target`), once the code was right. */
  verified: string;
  /** The relay would not ring the number with a code (the console says why). */
  verifyFailed: string;
  /** The launcher's round button. */
  launcher: string;
  /** The launcher dialog's title. */
  dialogTitle: string;
  /** The launcher dialog's close button. */
  close: string;
}

/** The texts only ticket (CRM) widgets show: their English comes with the CRM chunk. */
export type TicketTexts = Pick<
  WidgetStrings,
  'callTicket' | 'ticketInitiated' | 'ticketLate' | 'ticketStates' | 'agentBusy' | 'ticketInvalid'
>;

/** The texts only the launcher shows: their English comes with the launcher's chunk. */
export type LauncherTexts = Pick<WidgetStrings, 'launcher' | 'dialogTitle' | 'close'>;

/**
 * The texts of refusals, of outcomes other than a completed call and of a late one, shown
 * only once something went wrong or was cut short: their English comes with the recovery
 * chunk, loaded when a call needs them. (That the service cannot be reached stays in the
 * core: it is what the widget says when the recovery chunk cannot be loaded either.)
 */
export type RecoveryTexts = Pick<
  WidgetStrings,
  | 'numberNotAllowed'
  | 'countryNotAllowed'
  | 'humanCheck'
  | 'rateLimited'
  | 'callInProgress'
  | 'timeout'
  | 'unavailable'
  | 'misconfigured'
  | 'originRefused'
  | 'fallbackTel'
  | 'late'
  | 'closed'
  | 'slotFull'
> & { states: Omit<WidgetStrings['states'], CoreState> };

/**
 * The final states the core has a sentence for: a completed call, and the one it says of
 * any other outcome where the recovery chunk cannot be loaded.
 */
type CoreState = 'completed' | 'failed';

/** The texts of callback slots and booked callbacks: their English comes with the slots chunk. */
export type SlotTexts = Pick<
  WidgetStrings,
  'opens' | 'pickTime' | 'noSlots' | 'book' | 'later' | 'scheduled' | 'redial' | 'withdraw' | 'zoneNote'
>;

/** The texts of verifying a number by a spoken code: their English comes with the verify chunk. */
export type VerifyTexts = Pick<
  WidgetStrings,
  | 'codeSent'
  | 'codeLabel'
  | 'check'
  | 'codeEmpty'
  | 'wrongCode'
  | 'codeExpired'
  | 'resend'
  | 'verified'
  | 'verifyFailed'
>;

/** The consent box's text: its English comes with the consent chunk. */
export type ConsentTexts = Pick<WidgetStrings, 'consentRequired'>;

/** The texts of the inline form as the core knows them. */
export type FormTexts = Omit<
  WidgetStrings,
  | keyof TicketTexts
  | keyof LauncherTexts
  | keyof RecoveryTexts
  | keyof ConsentTexts
  | keyof SlotTexts
  | keyof VerifyTexts
> & { states: Pick<WidgetStrings['states'], CoreState> };

/** A language's texts as the widget holds them: the form's, and those of the chunks that are here. */
export type Texts = FormTexts & Partial<Omit<WidgetStrings, 'states'>> & { states: Partial<WidgetStrings['states']> };

/** The English texts of the inline form: built in; every other language is loaded when a page needs it. */
export const ENGLISH: FormTexts = {
  label: 'Your phone number',
  hint: 'For a number outside {country}, start with + and the country code.',
  countries: { IN: 'India' },
  call: 'Call me',
  submitting: 'Connecting…',
  calling: 'Calling…',
  initiated: 'Calling {phone} now. Please answer.',
  states: {
    completed: 'Call finished. Thank you!',
    failed: 'The call did not go through.',
  },
  retry: 'Try again',
  phoneEmpty: 'Enter your phone number.',
  phoneLength: 'Check the digits; add the country code if needed.',
  invalidPhone: 'This is not a valid phone number.',
  network: 'Could not reach the call service. Are you online?',
};

/** Overrides of any strings; `states`, `ticketStates` and `countries` may be overridden one key at a time. */
export type StringOverrides = Partial<Omit<WidgetStrings, 'states' | 'ticketStates'>> & {
  states?: Partial<WidgetStrings['states']>;
  ticketStates?: Partial<WidgetStrings['ticketStates']>;
};

/** A language's texts with overrides applied. */
export function withOverrides(base: Texts, overrides: StringOverrides = {}): WidgetStrings {
  // Texts of a chunk not loaded (a ticket's, say) are left out until it is; nothing shows them before.
  return {
    ...base,
    ...overrides,
    states: { ...base.states, ...overrides.states },
    ticketStates: { ...base.ticketStates, ...overrides.ticketStates },
    countries: { ...base.countries, ...overrides.countries },
  } as WidgetStrings;
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
