import { adoptStyles, html, LitElement, nothing, type CSSResult, type PropertyValues, type TemplateResult } from 'lit';
import { isFinalState, type CallRequest, type WidgetState } from '../protocol/index.js';
import { CallController } from './call-controller.js';
import { loadChunk, type ChunkAdditions, type ChunkModule, type ChunkName, type ChunkPart } from './chunks.js';
import { MtCallRequestEvent } from './events.js';
import { fieldError } from './field-error.js';
import { clock } from './format.js';
import { icon, spinner } from './icons.js';
import { whenIdle } from './idle.js';
import { languageOf, type Language } from './language.js';
import { checkPhoneShape, type ShapeProblem } from './phone-shape.js';
import type { Answer } from './recovery/answers.js';
import type { RequestFailure } from './relay-client.js';
import { ENGLISH, fill, withOverrides, type StringOverrides, type Texts, type WidgetStrings } from './strings.js';
import { styles } from './mt-click-to-call.styles.js';

/** A field error shown by its field. */
interface FieldError {
  field: 'phone' | 'consent';
  message: string;
}

/** The text for each problem with a number's shape. */
const SHAPE_TEXT: Record<ShapeProblem, 'phoneEmpty' | 'invalidPhone' | 'phoneLength'> = {
  empty: 'phoneEmpty',
  characters: 'invalidPhone',
  length: 'phoneLength',
};

/**
 * States and refusals of a call that cannot happen now: the slots chunk offers a callback
 * later, or shows the one booked. It comes while the form carries on.
 */
const LATER = ['scheduled', 'no-answer', 'agent-unavailable', 'target_closed', 'slot_full'];

/**
 * A "call me" form: the visitor types their number, presses Call, and the site's relay
 * asks Mobtexting to ring them and bridge them to the business. The widget then shows,
 * live, what happens to the call. With `launcher`, the form opens in a dialog from a
 * round button in a corner of the page.
 *
 * @summary Click-to-call through Mobtexting, via the site's own relay.
 * @tag mt-click-to-call
 *
 * @attr {WidgetState} state - Read-only, reflected: `idle`, `submitting`, a call state, or `error`.
 * @attr lang - `en`, `hi`, `bn`, `mr`, `ta` or `te`; without it, the nearest ancestor's or the page's language.
 *
 * @csspart form - The form around everything.
 * @csspart label - The phone field's label.
 * @csspart field - The field's box around the country code and the input: its border, background and focus ring.
 * @csspart country - The country's calling code (or ISO code) before the input.
 * @csspart input - The phone number input.
 * @csspart hint - The line under the field.
 * @csspart button - The Call button.
 * @csspart consent - The consent checkbox and its text.
 * @csspart error - A field's error message.
 * @csspart status - The live region that tells what is happening.
 * @csspart icon - Every icon: the phone, the check and the cross.
 * @csspart spinner - The spinner in the Call button while the relay is asked.
 * @csspart retry - The Try again button.
 * @csspart fallback - The `fallback-tel` number's link.
 * @csspart launcher - The launcher's round button.
 * @csspart dialog - The launcher's dialog.
 * @csspart cancel - The button that closes the launcher's dialog.
 * @csspart slots - The callback slot picker, offered while the target is closed or after a call no one took.
 * @csspart slot - One free time in the slot picker.
 * @csspart code - The field for the spoken code, with `verify`.
 *
 * @slot human-check - A human check (a Turnstile or hCaptcha widget) shown before the Call
 *   button; its token is sent with the call.
 *
 * @cssproperty [--mt-c2c-font-family=inherit] - Font of all text.
 * @cssproperty [--mt-c2c-font-size=1rem] - Base font size.
 * @cssproperty [--mt-c2c-text-color=#1f2328] - Text colour (dark theme: #e6edf3).
 * @cssproperty [--mt-c2c-muted-color=#57606a] - Hint, country code, timer (dark: #a3adb8).
 * @cssproperty [--mt-c2c-background=#ffffff] - Background of the form and the dialog (dark: #161b22).
 * @cssproperty [--mt-c2c-field-background=#ffffff] - Background of the field (dark: #0d1117).
 * @cssproperty [--mt-c2c-border-color=#6e7781] - Field and checkbox border (dark: #8b949e).
 * @cssproperty [--mt-c2c-accent=#0b57d0] - The Call and launcher buttons, the checkbox (dark: #a8c7fa).
 * @cssproperty [--mt-c2c-on-accent=#ffffff] - Text on the accent (dark: #062e6f).
 * @cssproperty [--mt-c2c-focus-color=#0b57d0] - The focus ring (dark: #a8c7fa).
 * @cssproperty [--mt-c2c-link-color=#0b57d0] - Try again and the fallback number (dark: #a8c7fa).
 * @cssproperty [--mt-c2c-error-color=#b3261e] - Errors (dark: #ffb4ab).
 * @cssproperty [--mt-c2c-success-color=#146c2e] - The completed message (dark: #7ee2a8).
 * @cssproperty [--mt-c2c-radius=0.5rem] - Corners of the field and buttons; the form's, up to 1rem.
 * @cssproperty [--mt-c2c-field-radius=var(--mt-c2c-radius)] - Corners of the field.
 * @cssproperty [--mt-c2c-button-radius=var(--mt-c2c-radius)] - Corners of the Call button.
 * @cssproperty [--mt-c2c-spacing=0.75rem] - Padding and gaps.
 *
 * @event {MtCallRequestEvent} mt-call-request - Before the relay is asked; cancelable; listeners may set `variables`.
 * @event {MtCallInitiatedEvent} mt-call-initiated - The relay accepted the call; `callId` and masked `phone`.
 * @event {MtCallScheduledEvent} mt-call-scheduled - The relay booked a callback; `callId` and `at`.
 * @event {MtVerifiedEvent} mt-verified - With `verify`, the visitor's code was right; `token` names the number.
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
    verify: {},
    label: {},
    buttonLabel: { attribute: 'button-label' },
    fallbackTel: { attribute: 'fallback-tel' },
    theme: { reflect: true },
    launcher: { reflect: true },
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

  /**
   * A verify target (`verify="otp"`): before the call, the relay rings the visitor with a
   * spoken code to type in, and the call carries the token a right code earns
   * (`mt-verified`). Without `target`, the widget only verifies.
   */
  declare verify: string | undefined;

  /** The phone field's label, instead of the language's. */
  declare label: string | undefined;

  /** The Call button's text, instead of the language's (`{label}` names a ticket's customer). */
  declare buttonLabel: string | undefined;

  /** The business's number, offered as a `tel:` link when calls cannot be placed through the relay. */
  declare fallbackTel: string | undefined;

  /** `light` (the default), `dark`, or `auto` to follow the operating system. */
  declare theme: 'light' | 'dark' | 'auto' | undefined;

  /**
   * Present, the widget is a round call button fixed in a corner (`bottom-right`, or
   * `launcher="bottom-left"`) that opens the form in a dialog.
   */
  declare launcher: string | null | undefined;

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

  readonly #call = new CallController(this, {
    recovery: () => this.#use('recovery', false),
    describe: (failure) => this.#answer(failure, this.#strings()).text,
  });
  /** Where this widget keeps its call in the tab: its id, else its place among the page's widgets. */
  #memoryKey = '';
  /** What is in the phone field. */
  #typed = '';
  /** The widget's own check of a field, before any request: the field at fault and why. */
  #invalidField: FieldError | undefined;
  /** Chunks the form waits for before it shows: its language, the CRM's, the launcher, the dark theme. */
  readonly #pending = new Set<Promise<unknown>>();
  /** Chunks on their way while the form carries on (a call's recovery, its slots): `updateComplete` waits for them. */
  readonly #arriving = new Set<Promise<unknown>>();
  /** Each chunk the widget asked for: the chunk, or `undefined` once it could not be loaded. */
  readonly #loads = new Map<ChunkName, Promise<unknown>>();
  /** What each chunk here gives this widget (see `#part`). */
  readonly #parts = new Map<ChunkName, unknown>();
  /** The widget's English: the core's, with that of the chunks here. */
  #english: Texts = ENGLISH;
  /** Styles of the chunks here, added to the widget's own. */
  readonly #chunkStyles: CSSResult[] = [];

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
    return this.#call.state;
  }

  /** The current call's id, once the relay has accepted it. */
  get callId(): string | undefined {
    return this.#call.call?.callId;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('phone')) this.#typed = this.phone;
    // The chunks the form needs, each loaded the first time it does (a ticket has no phone field).
    const lang = this.#lang();
    const needs: { [Name in ChunkName]?: unknown } = {
      [`lang-${lang}`]: lang !== 'en',
      crm: this.ticket,
      consent: !this.ticket && this.consent !== undefined,
      verify: !this.ticket && this.verify !== undefined,
      countries: !this.ticket && this.#country() !== 'IN',
      launcher: this.launcher != null,
      'theme-dark': this.theme === 'dark' || this.theme === 'auto',
    };
    for (const name in needs) if (needs[name as ChunkName]) void this.#use(name as ChunkName, true);
    const { state, failure } = this.#call;
    if (!this.ticket && [state, failure?.code].some((what) => LATER.includes(what!))) void this.#use('slots', false);
  }

  /**
   * Picks up the call this widget had under way before the page was reloaded, once the
   * page has painted (reading the tab's storage the first time is slow).
   */
  protected override firstUpdated(): void {
    this.#memoryKey = `${this.endpoint} ${this.id || [...document.querySelectorAll(this.localName)].indexOf(this)}`;
    whenIdle(() => void this.#call.resume(this.endpoint, this.#memoryKey));
  }

  protected override updated(): void {
    if (this.getAttribute('state') !== this.state) this.setAttribute('state', this.state);
  }

  /** Waits for the chunks the widget needs too, so that it is complete once this resolves. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.#pending.size + this.#arriving.size > 0) {
      await Promise.all([...this.#pending, ...this.#arriving]);
      done = await super.getUpdateComplete();
    }
    return done;
  }

  /**
   * Starts a call as if the visitor pressed Call; with `at`, books a callback at that time
   * instead (the `at` of one of the target's free slots, an ISO instant).
   */
  call(at?: string): void {
    this.#submit(at);
  }

  /** Opens the launcher's dialog (or, without `launcher`, moves the focus to the form). */
  async open(): Promise<void> {
    if (this.launcher != null) await this.#use('launcher', true);
    await this.updateComplete;
    const launcher = this.#part('launcher');
    if (launcher) launcher.open();
    else this.#focus('[part=input],[part=button]');
  }

  /** Closes the launcher's dialog; a call under way goes on. */
  close(): void {
    this.#part('launcher')?.close();
  }

  protected override render(): TemplateResult | typeof nothing {
    const s = this.#strings();
    const form = this.#renderForm(s);
    const launcher = this.#part('launcher');
    // Without its chunk, the launcher is the plain form where the element stands.
    if (this.launcher == null || (!launcher && this.#pending.size === 0)) return form;
    return launcher?.render(form, s) ?? nothing;
  }

  #renderForm(s: WidgetStrings): TemplateResult {
    // A ticket widget, or one that asks for consent or verifies, whose chunk could not be loaded cannot call:
    // the network is down.
    const agent = this.#part('crm');
    if (
      this.ticket
        ? !agent
        : (this.consent !== undefined && !this.#part('consent')) || (this.verify !== undefined && !this.#part('verify'))
    )
      return html`<p part="status" role="status">${this.#pending.size > 0 ? '' : s.network}</p>`;
    return html`<form
      part="form"
      class=${this.ticket ? 'ticket' : ''}
      ?inert=${this.#pending.size > 0}
      novalidate
      @submit=${this.#onSubmit}
      @input=${this.#onInput}
    >
      ${
        this.ticket
          ? html`<slot name="human-check"></slot>${this.#renderCallButton(agent!.callText(s), s)}`
          : this.#renderPhone(s)
      }
      ${this.#renderOutcome(s)}
    </form>`;
  }

  #renderPhone(s: WidgetStrings): TemplateResult {
    // India, the default, is known to the core; the countries chunk knows the others.
    const iso = this.#country();
    const countries = this.#part('countries');
    const prefix = iso === 'IN' ? '+91' : countries?.countryPrefix(iso);
    const country = s.countries[iso] ?? countries?.countryNameSoon(iso, this.#lang(), () => this.requestUpdate());
    const error = this.#fieldError('phone', s);
    const button = this.#renderCallButton(s.call, s);
    // What the visitor must see or tick first comes before the Call button, in the tab order too.
    const hasStepsFirst = this.consent !== undefined || !!this.querySelector('[slot=human-check]');
    return html`<label part="label" for="phone">${s.label}</label>
      <div class="row">
        <div part="field" ?data-invalid=${error}>
          ${prefix ? html`<span part="country">${prefix}</span>` : nothing}
          <input
            part="input"
            id="phone"
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            .value=${this.#typed}
            ?disabled=${this.disabled}
            ?readonly=${this.#call.busy}
            aria-invalid=${!!error}
            aria-describedby=${error ? 'phone-error hint' : 'hint'}
          />
        </div>
        ${hasStepsFirst ? nothing : button}
      </div>
      ${fieldError('phone', error)}
      <p part="hint" id="hint">${prefix && country && fill(s.hint, { country })}</p>
      ${this.#part('consent')?.render(this.#fieldError('consent', s)) ?? nothing}
      <slot name="human-check" @slotchange=${() => this.requestUpdate()}></slot>
      ${hasStepsFirst ? button : nothing}`;
  }

  /**
   * The Call button. Its three labels (call, connecting, calling) share one cell, only one
   * visible, so the button keeps its width through the call and a table around it never
   * reflows.
   */
  #renderCallButton(label: string, s: WidgetStrings): TemplateResult {
    const { state, busy, rateLimited } = this.#call;
    const shown = state === 'submitting' ? 1 : state === 'initiated' ? 2 : 0;
    const unavailable = rateLimited || (!busy && this.#part('crm')?.isOnAnotherCall);
    const labels = [html`${icon('phone')}${label}`, html`${spinner}${s.submitting}`, s.calling];
    return html`<button
      part="button"
      class=${busy ? 'busy' : unavailable ? 'unavailable' : ''}
      ?disabled=${this.disabled}
      aria-disabled=${busy || !!unavailable}
    >
      <span class="labels">${labels.map((content, i) => html`<span ?hidden=${i !== shown}>${content}</span>`)}</span>
    </button>`;
  }

  /**
   * The status line, one live region that stays the same element whatever it says: what is
   * happening, said to the visitor (or, for a ticket, to the agent), and beside it the
   * elapsed time, Try again, or the fallback number.
   */
  #renderOutcome(s: WidgetStrings): TemplateResult {
    const { state, call, failure, late, rateLimited } = this.#call;
    const isFinal = isFinalState(state);
    // A refusal about no field in particular is told here; one about a field, by the field.
    const refusal = failure && this.#answer(failure, s);
    const generalRefusal = refusal && !refusal.field ? refusal : undefined;
    // A verification under way, or a call that cannot happen now, says more (see the verify and slots chunks).
    const slots = this.#part('verify')?.view(s) ?? this.#part('slots')?.view(s, this.#call, this.#lang());
    // An outcome other than completed waits for the recovery chunk's sentence while it comes.
    const text =
      this.#part('crm')?.says(s, late) ??
      slots?.text ??
      (state === 'submitting'
        ? s.submitting
        : late && s.late
          ? s.late
          : state === 'initiated'
            ? fill(s.initiated, { phone: call!.phone })
            : isFinal
              ? (s.states[state] ?? (this.#loads.has('recovery') ? '' : s.states.failed))
              : (generalRefusal?.text ?? ''));
    const mark = late
      ? undefined
      : state === 'initiated'
        ? 'phone'
        : state === 'completed'
          ? 'check'
          : (isFinal && state !== 'unknown') || generalRefusal
            ? 'cross'
            : undefined;
    // A ticket serves one call: the page hands out a new one.
    const offersRetry = !this.ticket && (isFinal ? state !== 'completed' : !!generalRefusal?.offersRetry);
    const tel = generalRefusal?.offersTel && this.fallbackTel?.replace(/[^\d+]/g, '');
    let extra: TemplateResult | typeof nothing = nothing;
    if (state === 'initiated' && !late) {
      const time = clock((Date.now() - this.#call.startedAt!) / 1000, this.#lang());
      extra = html`<span class="elapsed" role="timer" aria-label=${`${s.calling} ${time}`}>${time}</span>`;
    } else if (tel) {
      // Without the recovery chunk's sentence around it, the number alone.
      const [before, after] = (s.fallbackTel ?? '{tel}').split('{tel}');
      extra = html`<span>${before}<a part="fallback" href="tel:${tel}">${this.fallbackTel}</a>${after}</span>`;
    }
    return html`<div class="outcome">
      <p part="status" role="status">${mark ? icon(mark) : nothing}<span>${text}</span></p>
      ${
        offersRetry
          ? html`<button part="retry" type="button" ?disabled=${this.disabled || rateLimited} @click=${this.#retry}>
              ${s.retry}
            </button>`
          : nothing
      }${extra}${slots?.content}
    </div>`;
  }

  /** The error to show by a field: the widget's own check, or the relay's verdict. */
  #fieldError(field: FieldError['field'], s: WidgetStrings): string | undefined {
    if (this.#invalidField) return this.#invalidField.field === field ? this.#invalidField.message : undefined;
    const { failure } = this.#call;
    const answer = failure && this.#answer(failure, s);
    return answer?.field === field ? answer.text : undefined;
  }

  /**
   * How the widget answers a refusal: the recovery chunk says; without it (it could not be
   * loaded, so the network is failing) the call service could not be reached.
   */
  #answer(failure: RequestFailure, s: WidgetStrings): Answer {
    return (
      this.#part('recovery')?.answerTo(failure, s, this.#lang()) ?? {
        text: s.network,
        offersRetry: true,
        offersTel: true,
      }
    );
  }

  /**
   * The texts in the widget's language, with the page's overrides; English (with that of
   * the chunks here) while the language loads, or where it cannot be loaded.
   */
  #strings(): WidgetStrings {
    const lang = this.#lang();
    const base = (lang !== 'en' && this.#part(`lang-${lang}`)?.default) || this.#english;
    const own = { ...(this.label && { label: this.label }), ...(this.buttonLabel && { call: this.buttonLabel }) };
    return withOverrides(base, { ...this.strings, ...own, ...(own.call && { callTicket: own.call }) });
  }

  /** Typing a number, or ticking the consent box, clears the error it may have caused. */
  #onInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.id === 'phone') this.#typed = input.value;
    this.#clearError();
  }

  /** A change to the form clears the error it caused (a rate limit holds until it lifts). */
  #clearError(): void {
    if (this.#invalidField) this.#showInvalid(undefined);
    if (this.state === 'error' && !this.#call.rateLimited) this.#call.reset();
  }

  #showInvalid(error: FieldError | undefined): void {
    this.#invalidField = error;
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

  #submit(at?: string): void {
    const call = this.#call;
    if (this.disabled || call.busy || call.rateLimited || this.#part('crm')?.isOnAnotherCall) return;
    call.reset(); // a new attempt: the last one's outcome goes
    this.#invalidField = undefined;
    if (this.ticket) return this.#request(undefined, { ticket: this.ticket });
    const s = this.#strings();
    const shape = checkPhoneShape(this.#typed);
    if (!shape.ok) {
      this.#showInvalid({ field: 'phone', message: s[SHAPE_TEXT[shape.problem]] });
      return this.#focus('#phone');
    }
    if (this.consent !== undefined && !this.#part('consent')?.checked) {
      this.#showInvalid({ field: 'consent', message: s.consentRequired });
      return this.#focus('[part=consent] input');
    }
    const body = {
      phone: shape.phone,
      country: this.#country(),
      ...(this.consent !== undefined && { consent: true }),
      ...(at && { at }),
    };
    const verifier = this.verify !== undefined && this.#part('verify');
    if (!verifier) return this.#request(shape.phone, body);
    verifier.begin(body, this.target ? (verified) => this.#request(shape.phone, { ...body, verified }) : undefined);
  }

  /** Fires `mt-call-request` and, unless the host cancels it, asks the relay. */
  #request(phone: string | undefined, body: CallRequest): void {
    const humanToken =
      this.humanToken ??
      this.querySelector<HTMLInputElement>(
        '[slot=human-check] [name$="-response"],[slot=human-check][name$="-response"]',
      )?.value;
    const request = new MtCallRequestEvent({ phone, targetName: this.target, variables: { ...this.variables } });
    if (!this.dispatchEvent(request)) return;
    void this.#call.start(
      this.endpoint,
      {
        ...body,
        ...(this.target && { target: this.target }),
        ...(Object.keys(request.variables).length > 0 && { variables: request.variables }),
        ...(humanToken && { humanToken }),
      },
      this.#memoryKey,
    );
  }

  /** The widget's country, as an ISO code. */
  #country(): string {
    return this.country.toUpperCase();
  }

  /** The widget's language: its own `lang`, or the nearest ancestor's, or the page's. */
  #lang(): Language {
    return languageOf(this.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
  }

  /**
   * Loads a chunk once, and adds its English and styles to the widget's own. With
   * `hideForm`, the form waits for it, hidden (a few milliseconds on the same server).
   * Answers the chunk, or `undefined` when it cannot be loaded (the console says why):
   * the form then does without it, and a chunk needed only at a moment (the recovery
   * chunk) is tried again the next time.
   */
  #use<Name extends ChunkName>(name: Name, hideForm: boolean): Promise<ChunkModule<Name> | undefined> {
    let load = this.#loads.get(name) as Promise<ChunkModule<Name> | undefined> | undefined;
    if (!load) {
      load = loadChunk(name).then(
        (chunk) => {
          const { english, styles, attach } = chunk as ChunkAdditions;
          this.#parts.set(name, attach ? attach(this) : chunk);
          if (english) this.#english = withOverrides(this.#english, english);
          if (styles) {
            this.#chunkStyles.push(styles);
            adoptStyles(this.renderRoot as ShadowRoot, [...MtClickToCall.elementStyles, ...this.#chunkStyles]);
          }
          this.requestUpdate();
          return chunk;
        },
        (err: unknown) => {
          console.warn(`${err}`);
          if (!hideForm) this.#loads.delete(name);
          return undefined;
        },
      );
      this.#loads.set(name, load);
      this.#wait(load, hideForm);
    }
    return load;
  }

  /**
   * What a chunk gives this widget, once it is here: its part of the widget, made by its
   * `attach` (the launcher, a ticket's agent, the consent box), else its exports.
   */
  #part<Name extends ChunkName>(name: Name): ChunkPart<Name> | undefined {
    return this.#parts.get(name) as ChunkPart<Name> | undefined;
  }

  /** `updateComplete` waits for `load` too; with `hideForm`, the form shows once it settles. */
  #wait(load: Promise<unknown>, hideForm: boolean): void {
    const waiting = hideForm ? this.#pending : this.#arriving;
    if (waiting.has(load)) return;
    waiting.add(load);
    void load.finally(() => {
      waiting.delete(load);
      if (hideForm) this.requestUpdate();
    });
  }

  #focus(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }
}
