import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { isFinalState, type CallRequest, type WidgetState } from '../protocol/index.js';
import { CallController } from './call-controller.js';
import { MtCallRequestEvent } from './events.js';
import { checkPhoneShape, countryPrefix, type ShapeProblem } from './phone-shape.js';
import type { RequestFailure } from './relay-client.js';
import { clock, fill, resolveStrings, waitTime, type StringOverrides, type WidgetStrings } from './strings.js';
import { styles } from './mt-click-to-call.styles.js';
import { ticketLabel } from './ticket-label.js';

/** A field error shown by its field. */
interface FieldError {
  field: 'phone' | 'consent';
  message: string;
}

/** Whether a refusal is about a field the visitor can fix, shown by that field. */
const byField = (failure: RequestFailure) => failure.field === 'phone' || failure.field === 'consent';

/** The sentence for each refusal the widget explains in its own words. */
const FAILURE_TEXT: Partial<Record<RequestFailure['code'], Exclude<keyof WidgetStrings, 'states'>>> = {
  network: 'network',
  timeout: 'timeout',
  upstream_timeout: 'timeout',
  upstream_error: 'unavailable',
  store_unavailable: 'unavailable',
  relay_misconfigured: 'misconfigured',
  unknown_target: 'misconfigured',
  call_rejected: 'rejected',
  invalid_phone: 'invalidPhone',
  number_not_allowed: 'numberNotAllowed',
  country_not_allowed: 'numberNotAllowed',
  human_check_failed: 'humanCheck',
  invalid_ticket: 'ticketInvalid',
};

/**
 * A "call me" form: the visitor types their number, presses Call, and the site's relay
 * asks Mobtexting to ring them and bridge them to the business. The widget then shows,
 * live, what happens to the call.
 *
 * @summary Click-to-call through Mobtexting, via the site's own relay.
 * @tag mt-click-to-call
 *
 * @attr {WidgetState} state - Read-only, reflected: `idle`, `submitting`, a call state, or `error`.
 * @attr lang - `en` or `hi`; without it, the nearest ancestor's or the page's language.
 *
 * @csspart form - The form around everything.
 * @csspart label - The phone field's label.
 * @csspart country - The country's calling code (or ISO code) before the field.
 * @csspart input - The phone number field.
 * @csspart button - The Call button.
 * @csspart consent - The consent checkbox and its text.
 * @csspart error - A field's error message.
 * @csspart status - The live region that tells what is happening.
 * @csspart retry - The Try again button.
 *
 * @slot human-check - A human check (a Turnstile or hCaptcha widget) shown above the Call
 *   button; its token is sent with the call.
 *
 * @cssproperty [--mt-c2c-font-family=inherit] - Font of all text.
 * @cssproperty [--mt-c2c-font-size=1rem] - Base font size.
 * @cssproperty [--mt-c2c-text-color=#1f2328] - Text colour (dark scheme: #e6edf3).
 * @cssproperty [--mt-c2c-muted-color=#57606a] - Hints and the dial code (dark: #a3adb8).
 * @cssproperty [--mt-c2c-background=#ffffff] - Background of the form and the field (dark: #161b22).
 * @cssproperty [--mt-c2c-border-color=#6e7781] - Field border (dark: #8b949e).
 * @cssproperty [--mt-c2c-accent=#0b57d0] - Call button, links and the focus ring (dark: #a8c7fa).
 * @cssproperty [--mt-c2c-on-accent=#ffffff] - Text on the Call button (dark: #062e6f).
 * @cssproperty [--mt-c2c-error-color=#b3261e] - Error text (dark: #ffb4ab).
 * @cssproperty [--mt-c2c-success-color=#146c2e] - The completed message (dark: #7ee2a8).
 * @cssproperty [--mt-c2c-radius=0.5rem] - Corner radius.
 * @cssproperty [--mt-c2c-spacing=0.75rem] - Padding and gaps.
 *
 * @event {MtCallRequestEvent} mt-call-request - Before the relay is asked; cancelable; listeners may set `variables`.
 * @event {MtCallInitiatedEvent} mt-call-initiated - The relay accepted the call; `callId` and masked `phone`.
 * @event {MtCallStateEvent} mt-call-state - The call's state changed (`initiated` included).
 * @event {MtCallEndEvent} mt-call-end - The call reached its final state.
 * @event {MtCallErrorEvent} mt-call-error - The call could not be started; `code`, `message`, `field`, `retryAfter`.
 */
export class MtClickToCall extends LitElement {
  static override styles = styles;

  static override properties = {
    endpoint: {},
    target: {},
    country: {},
    phone: {},
    ticket: {},
    consent: {},
    disabled: { type: Boolean, reflect: true },
    variables: { attribute: false },
    strings: { attribute: false },
    humanToken: { attribute: false },
    // Observed so that a change of language re-renders.
    lang: {},
  };

  /** The relay's base URL: `/c2c`, or `https://api.example.com/c2c` on another origin. */
  declare endpoint: string;

  /** The relay target to call (its configuration says whom). */
  declare target: string | undefined;

  /** ISO country assumed for numbers typed without `+`; its calling code is shown by the field. */
  declare country: string;

  /** A number to prefill. */
  declare phone: string;

  /** A signed ticket from the site's backend (CRM use): the widget becomes one Call button naming whom it calls. */
  declare ticket: string | undefined;

  /** Text of a consent checkbox the visitor must tick before calling; no checkbox without it. */
  declare consent: string | undefined;

  /** Disables the widget. */
  declare disabled: boolean;

  /** Values for the target's variables (an IVR flow's `{Name}`). */
  declare variables: Record<string, string>;

  /** Overrides of any text; see `WidgetStrings`. */
  declare strings: StringOverrides;

  /**
   * A human-check token (Cloudflare Turnstile, say) for relays that ask for one. Without
   * it, the widget reads `…-response` inputs of what is in its `human-check` slot.
   */
  declare humanToken: string | undefined;

  readonly #calls = new CallController(this, (failure) => this.#failureText(failure, this.#strings()));
  /** What is in the phone field. */
  #typed = '';
  /** Whether the consent box is ticked. */
  #consented = false;
  /** The widget's own check of a field, before any request. */
  #invalid: FieldError | undefined;

  constructor() {
    super();
    this.endpoint = '/c2c';
    this.country = 'IN';
    this.phone = '';
    this.disabled = false;
    this.variables = {};
    this.strings = {};
  }

  /**
   * Where the widget is: `idle`, `submitting`, a call state, or `error`. Read-only;
   * reflected to the `state` attribute for host CSS (`mt-click-to-call[state=busy]`).
   */
  get state(): WidgetState {
    return this.#calls.state;
  }

  /** The current call's id, once the relay has accepted it. */
  get callId(): string | undefined {
    return this.#calls.call?.callId;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('phone')) this.#typed = this.phone;
  }

  protected override updated(): void {
    if (this.getAttribute('state') !== this.state) this.setAttribute('state', this.state);
  }

  /** Starts a call as if the visitor pressed Call. */
  call(): void {
    this.#submit();
  }

  protected override render(): TemplateResult {
    const s = this.#strings();
    return html`<form part="form" novalidate @submit=${this.#onSubmit}>
      ${
        this.ticket
          ? html`<div class="row">
              ${this.#renderCallButton(fill(s.callTicket, { label: ticketLabel(this.ticket) ?? '' }), s)}
            </div>`
          : html`${this.#renderPhone(s)} ${this.#renderConsent(s)}`
      }
      <slot name="human-check"></slot>
      <p part="status" role="status">${this.#statusText(s)}</p>
      ${this.#renderElapsed(s)} ${this.#renderRetry(s)}
    </form>`;
  }

  #renderPhone(s: WidgetStrings): TemplateResult {
    const country = countryPrefix(this.country);
    const error = this.#fieldError('phone', s);
    const busy = this.#calls.busy;
    return html`<label part="label" for="phone">${s.label}</label>
      <div class="row">
        <div class="field" ?data-invalid=${error}>
          ${country ? html`<span part="country" id="country">${country}</span>` : nothing}
          <input
            part="input"
            id="phone"
            name="phone"
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            .value=${this.#typed}
            ?disabled=${this.disabled}
            ?readonly=${busy}
            aria-invalid=${!!error}
            aria-describedby=${(country ? 'country ' : '') + (error ? 'phone-error' : '')}
            @input=${this.#onInput}
          />
        </div>
        ${this.#renderCallButton(s.call, s)}
      </div>
      ${error ? html`<p part="error" id="phone-error" role="alert">${error}</p>` : nothing}`;
  }

  #renderCallButton(label: string, s: WidgetStrings): TemplateResult {
    const busy = this.#calls.busy;
    return html`<button part="button" type="submit" ?disabled=${this.disabled} aria-disabled=${busy}>
      ${busy ? (this.state === 'submitting' ? s.submitting : s.calling) : label}
    </button>`;
  }

  #renderConsent(s: WidgetStrings): TemplateResult | typeof nothing {
    if (this.consent === undefined) return nothing;
    const error = this.#fieldError('consent', s);
    return html`<label part="consent">
        <input
          type="checkbox"
          aria-required="true"
          .checked=${this.#consented}
          ?disabled=${this.disabled}
          aria-invalid=${!!error}
          aria-describedby=${error ? 'consent-error' : nothing}
          @change=${this.#onConsent}
        />
        <span>${this.consent}</span>
      </label>
      ${error ? html`<p part="error" id="consent-error" role="alert">${error}</p>` : nothing}`;
  }

  #renderElapsed(s: WidgetStrings): TemplateResult | typeof nothing {
    const startedAt = this.#calls.startedAt;
    if (this.state !== 'initiated' || startedAt === undefined) return nothing;
    const time = clock((Date.now() - startedAt) / 1000);
    return html`<span class="elapsed" role="timer" aria-label=${`${s.calling} ${time}`}>${time}</span>`;
  }

  #renderRetry(s: WidgetStrings): TemplateResult | typeof nothing {
    if (!this.#canRetry()) return nothing;
    const waiting = (this.#calls.retryAt ?? 0) > Date.now();
    return html`<button part="retry" type="button" ?disabled=${this.disabled || waiting} @click=${this.#retry}>
      ${s.retry}
    </button>`;
  }

  /** The error to show by a field: the widget's own check, or the relay's verdict. */
  #fieldError(field: FieldError['field'], s: WidgetStrings): string | undefined {
    if (this.#invalid) return this.#invalid.field === field ? this.#invalid.message : undefined;
    const { state, failure } = this.#calls;
    return state === 'error' && failure?.field === field ? this.#failureText(failure, s) : undefined;
  }

  #canRetry(): boolean {
    // A ticket serves one call: the page hands out a new one.
    if (this.ticket) return false;
    const { state, failure } = this.#calls;
    // After any ending but a completed call, trying again may help.
    if (isFinalState(state)) return state !== 'completed';
    if (state !== 'error' || !failure) return false;
    return !byField(failure) && !['relay_misconfigured', 'unknown_target', 'invalid_ticket'].includes(failure.code);
  }

  #statusText(s: WidgetStrings): string {
    const { state, call, failure } = this.#calls;
    if (state === 'submitting') return s.submitting;
    if (state === 'initiated') return fill(s.initiated, { phone: call?.phone ?? '' });
    if (isFinalState(state)) return s.states[state];
    if (state === 'error' && failure && !byField(failure)) return this.#failureText(failure, s);
    return '';
  }

  #failureText(failure: RequestFailure, s: WidgetStrings): string {
    if (failure.code === 'rate_limited')
      return fill(s.rateLimited, { time: waitTime(failure.retryAfter ?? 60, this.#lang()) });
    const key = FAILURE_TEXT[failure.code] ?? (failure.field === 'consent' ? 'consentRequired' : undefined);
    return key ? s[key] : (failure.message ?? s.generic);
  }

  #strings(): WidgetStrings {
    return resolveStrings(this.#lang(), this.strings);
  }

  #onInput(event: Event): void {
    this.#typed = (event.target as HTMLInputElement).value;
    this.#clearError();
  }

  #onConsent(event: Event): void {
    this.#consented = (event.target as HTMLInputElement).checked;
    this.#clearError();
  }

  /** A change to the form clears the error it caused. */
  #clearError(): void {
    if (this.#invalid) this.#showInvalid(undefined);
    if (this.state === 'error') this.#calls.reset();
  }

  #showInvalid(error: FieldError | undefined): void {
    this.#invalid = error;
    this.requestUpdate();
  }

  #onSubmit(event: Event): void {
    event.preventDefault();
    this.#submit();
  }

  // Try again goes away once pressed: keep the focus in the widget, on the Call button.
  #retry(): void {
    this.renderRoot.querySelector<HTMLElement>('[part=button]')!.focus();
    this.#submit();
  }

  #submit(): void {
    if (this.disabled || this.#calls.busy) return;
    if (this.ticket) return this.#request(undefined, { ticket: this.ticket });
    const s = this.#strings();
    const shape = checkPhoneShape(this.#typed);
    if (!shape.ok) {
      this.#showInvalid({ field: 'phone', message: this.#shapeText(shape.problem, s) });
      this.#focus('#phone');
      return;
    }
    if (this.consent !== undefined && !this.#consented) {
      this.#showInvalid({ field: 'consent', message: s.consentRequired });
      this.#focus('[part=consent] input');
      return;
    }
    this.#invalid = undefined;
    this.#request(shape.phone, {
      phone: shape.phone,
      country: this.country.toUpperCase(),
      ...(this.consent !== undefined && { consent: this.#consented }),
    });
  }

  /** Fires `mt-call-request` and, unless the host cancels it, asks the relay. */
  #request(phone: string | undefined, body: CallRequest): void {
    const humanToken =
      this.humanToken ??
      this.querySelector<HTMLInputElement>(
        '[slot=human-check] input[name$="-response"], [slot=human-check][name$="-response"]',
      )?.value;
    const request = new MtCallRequestEvent({ phone, targetName: this.target, variables: { ...this.variables } });
    if (!this.dispatchEvent(request)) return;
    void this.#calls.start(this.endpoint, {
      ...body,
      ...(this.target && { target: this.target }),
      ...(Object.keys(request.variables).length > 0 && { variables: request.variables }),
      ...(humanToken && { humanToken }),
    });
  }

  #shapeText(problem: ShapeProblem, s: WidgetStrings): string {
    return problem === 'empty' ? s.phoneEmpty : problem === 'characters' ? s.invalidPhone : s.phoneLength;
  }

  /** The element's own `lang`, or the nearest ancestor's, or the page's. */
  #lang(): string {
    return this.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  }

  #focus(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }
}
