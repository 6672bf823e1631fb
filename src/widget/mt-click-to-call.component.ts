import { adoptStyles, html, LitElement, nothing, type CSSResult, type PropertyValues, type TemplateResult } from 'lit';
import { isFinalState, type CallRequest, type WidgetState } from '../protocol/index.js';
import { CallController } from './call-controller.js';
import { loadChunk, type ChunkModule } from './chunks.js';
import { MtCallRequestEvent } from './events.js';
import { answerTo, developerDetail, warnOnce, type Sentence } from './failures.js';
import { clock, countryNameSoon, waitTime } from './format.js';
import { icon, spinner } from './icons.js';
import { whenIdle } from './idle.js';
import { languageOf, languageStrings, type Language } from './language.js';
import { checkPhoneShape, countryPrefix, type ShapeProblem } from './phone-shape.js';
import type { RequestFailure } from './relay-client.js';
import { ENGLISH, fill, withOverrides, type StringOverrides, type WidgetStrings } from './strings.js';
import { styles } from './mt-click-to-call.styles.js';

/** Says in the console why a chunk could not be loaded. */
const warn = (err: unknown) => console.warn(`${err}`);

/** A field error shown by its field. */
interface FieldError {
  field: 'phone' | 'consent';
  message: string;
}

/** The text for each problem with a number's shape. */
const SHAPE_TEXT: Record<ShapeProblem, Sentence> = {
  empty: 'phoneEmpty',
  characters: 'invalidPhone',
  length: 'phoneLength',
};

/** The launcher, once its chunk is here. */
type Launcher = InstanceType<ChunkModule<'launcher'>['Launcher']>;

/** The agent's line, once the CRM chunk is here. */
type AgentLine = InstanceType<ChunkModule<'crm'>['AgentLine']>;

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

  readonly #calls = new CallController(this, (failure) => this.#describe(failure));
  /** Where this widget keeps its call in the tab: its id, else its place among the page's widgets. */
  #key = '';
  /** What is in the phone field. */
  #typed = '';
  /** Whether the consent box is ticked. */
  #consented = false;
  /** The widget's own check of a field, before any request. */
  #invalid: FieldError | undefined;
  /** Chunks the widget waits for before it shows its form: its language, the CRM's, the launcher, the dark theme. */
  readonly #waiting = new Set<Promise<unknown>>();
  #crm: ChunkModule<'crm'> | undefined;
  #crmLoad: Promise<void> | undefined;
  #darkLoad: Promise<void> | undefined;
  /** Styles of chunks, added to the widget's own. */
  readonly #chunkStyles: CSSResult[] = [];
  #line: AgentLine | undefined;
  /** The launcher once its chunk is here; `null` if it could not be loaded (the form shows instead). */
  #launcher: Launcher | null | undefined;
  #launcherLoad: Promise<void> | undefined;

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
    // Chunks, each loaded once, the first time the widget needs it.
    if (this.ticket && !this.#crmLoad)
      this.#wait((this.#crmLoad = loadChunk('crm').then((crm) => this.#useCrm(crm), warn)));
    if (this.launcher != null && !this.#launcherLoad) this.#wait(this.#loadLauncher());
    if ((this.theme === 'dark' || this.theme === 'auto') && !this.#darkLoad)
      this.#wait((this.#darkLoad = loadChunk('theme-dark').then(({ darkTheme }) => this.#adopt(darkTheme), warn)));
  }

  /**
   * Picks up the call this widget had under way before the page was reloaded, once the
   * page has painted (reading the tab's storage the first time is slow).
   */
  protected override firstUpdated(): void {
    this.#key = `${this.endpoint} ${this.id || [...document.querySelectorAll(this.localName)].indexOf(this)}`;
    whenIdle(() => void this.#calls.resume(this.endpoint, this.#key));
  }

  protected override updated(): void {
    if (this.getAttribute('state') !== this.state) this.setAttribute('state', this.state);
  }

  /** Waits for the chunks the widget needs too, so that it is complete once this resolves. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.#waiting.size > 0) {
      await Promise.all(this.#waiting);
      done = await super.getUpdateComplete();
    }
    return done;
  }

  /** Starts a call as if the visitor pressed Call. */
  call(): void {
    this.#submit();
  }

  /** Opens the launcher's dialog (or, without `launcher`, moves the focus to the form). */
  async open(): Promise<void> {
    if (this.launcher != null) await this.#loadLauncher();
    await this.updateComplete;
    if (this.#launcher) this.#launcher.open();
    else this.#focus('[part=input],[part=button]');
  }

  /** Closes the launcher's dialog; a call under way goes on. */
  close(): void {
    this.#launcher?.close();
  }

  protected override render(): TemplateResult | typeof nothing {
    const s = this.#strings();
    const form = this.#renderForm(s);
    if (this.launcher == null || this.#launcher === null) return form;
    return this.#launcher?.render(form, s) ?? nothing;
  }

  #renderForm(s: WidgetStrings): TemplateResult {
    // A ticket widget whose chunk could not be loaded cannot call: the network is down.
    if (this.ticket && !this.#crm)
      return html`<p part="status" role="status">${this.#waiting.size > 0 ? '' : s.network}</p>`;
    const label = this.ticket ? (this.#crm!.ticketLabel(this.ticket) ?? '') : '';
    return html`<form
      part="form"
      class=${this.ticket ? 'ticket' : ''}
      ?inert=${this.#waiting.size > 0}
      novalidate
      @submit=${this.#onSubmit}
    >
      ${
        this.ticket
          ? html`<slot name="human-check"></slot>${this.#renderCallButton(fill(s.callTicket, { label }), s)}`
          : this.#renderPhone(s)
      }
      ${this.#renderOutcome(s, label)}
    </form>`;
  }

  #renderPhone(s: WidgetStrings): TemplateResult {
    const prefix = countryPrefix(this.country);
    const iso = this.country.toUpperCase();
    const country = s.countries[iso] ?? countryNameSoon(iso, this.#lang(), () => this.requestUpdate());
    const error = this.#fieldError('phone', s);
    const button = this.#renderCallButton(s.call, s);
    // What the visitor must see or tick first comes before the Call button, in the tab order too.
    const before = this.consent !== undefined || !!this.querySelector('[slot=human-check]');
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
            ?readonly=${this.#calls.busy}
            aria-invalid=${!!error}
            aria-describedby=${error ? 'phone-error hint' : 'hint'}
            @input=${this.#onInput}
          />
        </div>
        ${before ? nothing : button}
      </div>
      ${error ? html`<p part="error" id="phone-error" role="alert">${error}</p>` : nothing}
      <p part="hint" id="hint">${prefix && country && fill(s.hint, { country })}</p>
      ${this.#renderConsent(s)}
      <slot name="human-check" @slotchange=${() => this.requestUpdate()}></slot>
      ${before ? button : nothing}`;
  }

  /**
   * The Call button. Its three labels (call, connecting, calling) share one cell, only one
   * visible, so the button keeps its width through the call and a table around it never
   * reflows.
   */
  #renderCallButton(label: string, s: WidgetStrings): TemplateResult {
    const { state, busy, waiting } = this.#calls;
    const shown = state === 'submitting' ? 1 : state === 'initiated' ? 2 : 0;
    const unavailable = waiting || (!busy && this.#lineTaken());
    const labels = [html`${icon('phone')}${label}`, html`${spinner}${s.submitting}`, s.calling];
    return html`<button
      part="button"
      class=${busy ? 'busy' : unavailable ? 'unavailable' : ''}
      ?disabled=${this.disabled}
      aria-disabled=${busy || unavailable}
    >
      <span class="labels">${labels.map((content, i) => html`<span ?hidden=${i !== shown}>${content}</span>`)}</span>
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

  /**
   * The status line, one live region that stays the same element whatever it says: what is
   * happening, said to the visitor (or, for a ticket, to the agent), and beside it the
   * elapsed time, Try again, or the fallback number.
   */
  #renderOutcome(s: WidgetStrings, label: string): TemplateResult {
    const { state, call, failure, late, waiting } = this.#calls;
    const ticket = !!this.ticket;
    let text = '';
    let mark: 'phone' | 'check' | 'cross' | undefined;
    let retry = false;
    let extra: TemplateResult | typeof nothing = nothing;
    if (state === 'idle' && this.#lineTaken()) text = s.agentBusy;
    else if (state === 'submitting') text = s.submitting;
    else if (late) text = ticket ? fill(s.ticketLate, { label }) : s.late;
    else if (state === 'initiated') {
      text = ticket ? fill(s.ticketInitiated, { label }) : fill(s.initiated, { phone: call!.phone });
      mark = 'phone';
      const time = clock((Date.now() - this.#calls.startedAt!) / 1000, this.#lang());
      extra = html`<span class="elapsed" role="timer" aria-label=${`${s.calling} ${time}`}>${time}</span>`;
    } else if (isFinalState(state)) {
      text = ticket ? fill(s.ticketStates[state], { label }) : s.states[state];
      mark = state === 'unknown' ? undefined : state === 'completed' ? 'check' : 'cross';
      // A ticket serves one call: the page hands out a new one.
      retry = !ticket && state !== 'completed';
    } else if (failure && !answerTo(failure).field) {
      const answer = answerTo(failure);
      const tel = answer.tel && this.fallbackTel?.replace(/[^\d+]/g, '');
      const [before, after] = s.fallbackTel.split('{tel}');
      text = this.#failureText(failure, s);
      mark = 'cross';
      retry = answer.retry && !ticket;
      if (tel) extra = html`<span>${before}<a part="fallback" href="tel:${tel}">${this.fallbackTel}</a>${after}</span>`;
    }
    return html`<div class="outcome">
      <p part="status" role="status">${mark ? icon(mark) : nothing}<span>${text}</span></p>
      ${
        retry
          ? html`<button part="retry" type="button" ?disabled=${this.disabled || waiting} @click=${this.#retry}>
              ${s.retry}
            </button>`
          : nothing
      }${extra}
    </div>`;
  }

  /** The error to show by a field: the widget's own check, or the relay's verdict. */
  #fieldError(field: FieldError['field'], s: WidgetStrings): string | undefined {
    if (this.#invalid) return this.#invalid.field === field ? this.#invalid.message : undefined;
    const { state, failure } = this.#calls;
    return state === 'error' && failure && answerTo(failure).field === field
      ? this.#failureText(failure, s)
      : undefined;
  }

  #failureText(failure: RequestFailure, s: WidgetStrings): string {
    return fill(s[answerTo(failure).text], { time: waitTime(failure.retryAfter ?? 60, this.#lang()) });
  }

  /** The sentence for `mt-call-error`; what is the site's to fix also goes to the console, once. */
  #describe(failure: RequestFailure): string {
    const detail = developerDetail(failure, this.endpoint);
    if (detail) warnOnce(detail);
    return this.#failureText(failure, this.#strings());
  }

  /**
   * The texts in the widget's language, with the page's overrides; English (with that of
   * the chunks here) while the language loads.
   */
  #strings(): WidgetStrings {
    let base = languageStrings(this.#lang());
    if (base instanceof Promise) {
      this.#wait(base);
      base = ENGLISH;
    }
    if (base === ENGLISH) base = { ...ENGLISH, ...this.#crm?.TICKET_ENGLISH, ...this.#launcher?.english };
    const own = { ...(this.label && { label: this.label }), ...(this.buttonLabel && { call: this.buttonLabel }) };
    return withOverrides(base, { ...this.strings, ...own, ...(own.call && { callTicket: own.call }) });
  }

  #onInput(event: Event): void {
    this.#typed = (event.target as HTMLInputElement).value;
    this.#clearError();
  }

  #onConsent(event: Event): void {
    this.#consented = (event.target as HTMLInputElement).checked;
    this.#clearError();
  }

  /** A change to the form clears the error it caused (a rate limit holds until it lifts). */
  #clearError(): void {
    if (this.#invalid) this.#showInvalid(undefined);
    if (this.state === 'error' && !this.#calls.waiting) this.#calls.reset();
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
    const calls = this.#calls;
    if (this.disabled || calls.busy || calls.waiting || this.#lineTaken()) return;
    calls.reset(); // a new attempt: the last one's outcome goes
    this.#invalid = undefined;
    if (this.ticket) return this.#request(undefined, { ticket: this.ticket });
    const s = this.#strings();
    const shape = checkPhoneShape(this.#typed);
    if (!shape.ok) {
      this.#showInvalid({ field: 'phone', message: s[SHAPE_TEXT[shape.problem]] });
      return this.#focus('#phone');
    }
    if (this.consent !== undefined && !this.#consented) {
      this.#showInvalid({ field: 'consent', message: s.consentRequired });
      return this.#focus('[part=consent] input');
    }
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
        '[slot=human-check] [name$="-response"],[slot=human-check][name$="-response"]',
      )?.value;
    const request = new MtCallRequestEvent({ phone, targetName: this.target, variables: { ...this.variables } });
    if (!this.dispatchEvent(request)) return;
    void this.#calls.start(
      this.endpoint,
      {
        ...body,
        ...(this.target && { target: this.target }),
        ...(Object.keys(request.variables).length > 0 && { variables: request.variables }),
        ...(humanToken && { humanToken }),
      },
      this.#key,
    );
  }

  /** The widget's language: its own `lang`, or the nearest ancestor's, or the page's. */
  #lang(): Language {
    return languageOf(this.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
  }

  /** True while a ticket widget may not call: the agent is on another call, here or in another tab. */
  #lineTaken(): boolean {
    return !!this.ticket && !!this.#line?.taken;
  }

  #useCrm(crm: ChunkModule<'crm'>): void {
    this.#crm = crm;
    this.#line = new crm.AgentLine(
      this,
      () => new URL(this.endpoint, document.baseURI).href,
      () => !!this.ticket && this.#calls.busy,
    );
    this.#line.watch();
  }

  /** Shows the form once `load` settles; `updateComplete` waits for it too. */
  #wait(load: Promise<unknown>): void {
    if (this.#waiting.has(load)) return;
    this.#waiting.add(load);
    void load.finally(() => {
      this.#waiting.delete(load);
      this.requestUpdate();
    });
  }

  #loadLauncher(): Promise<void> {
    return (this.#launcherLoad ??= loadChunk('launcher').then(
      ({ Launcher }) => {
        this.#launcher = new Launcher(this);
        this.#adopt(this.#launcher.styles);
      },
      (err: unknown) => {
        // Without its chunk, the launcher is the plain form where the element stands.
        warn(err);
        this.#launcher = null;
        this.requestUpdate();
      },
    ));
  }

  /** Adds a chunk's styles to the widget's own. */
  #adopt(style: CSSResult): void {
    this.#chunkStyles.push(style);
    adoptStyles(this.renderRoot as ShadowRoot, [...MtClickToCall.elementStyles, ...this.#chunkStyles]);
    this.requestUpdate();
  }

  #focus(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }
}
