import { fieldError, fill, html, nothing } from '../shared.js';
import type { TemplateResult } from 'lit';
import type { VerificationRequest, VerificationStarted } from '../../protocol/index.js';
import type { MtClickToCall } from '../mt-click-to-call.component.js';
import type { WidgetStrings } from '../strings.js';
import { checkCode, startVerification } from './relay.js';
import { MtVerifiedEvent } from './verified-event.js';

/** What the verify chunk adds to the widget's status: its sentence, and the code entry below. */
export interface VerifyView {
  text: string;
  content: TemplateResult | typeof nothing;
}

/** The number to verify, as the widget would send it in a call. */
export type Verifying = Pick<VerificationRequest, 'phone' | 'country' | 'consent'>;

/** Where a verification stands. */
type Step =
  | { step: 'asking' }
  | { step: 'code'; started: VerificationStarted; error?: keyof WidgetStrings; left?: number }
  | { step: 'expired' }
  | { step: 'failed' }
  | { step: 'verified' };

/** Spaces, dashes and dots a pasted code may carry; the relay ignores them too. */
const SEPARATORS = /[\s.-]/g;

/**
 * One widget's number verification: asks the relay to ring the visitor with a code
 * (`POST /verifications` to the widget's `verify` target), shows the code field, checks
 * what the visitor types or pastes, and on a right code fires `mt-verified` and hands the
 * token on (the widget then places the call with it). A number verified once is not
 * asked again while its token is kept.
 */
export class Verifier {
  readonly #host: MtClickToCall;
  #at: Step | undefined;
  #request: Verifying | undefined;
  #then: ((token: string) => void) | undefined;
  #typed = '';
  /** When "Call me again with a new code" becomes available (epoch ms). */
  #resendAt = 0;
  /** The token of the number verified last. */
  #verified: { phone: string | undefined; token: string } | undefined;

  constructor(host: MtClickToCall) {
    this.#host = host;
  }

  /**
   * Verifies `request`'s number, then calls `then` with its token (a widget with a target
   * places its call); without `then`, it only verifies.
   */
  begin(request: Verifying, then?: (token: string) => void): void {
    this.#request = request;
    this.#then = then;
    if (this.#verified && this.#verified.phone === request.phone) return this.#pass(this.#verified.token);
    void this.#ask();
  }

  /** What the chunk shows while a verification is under way, or `undefined`. */
  view(s: WidgetStrings): VerifyView | undefined {
    const at = this.#at;
    if (!at || (at.step === 'verified' && this.#then)) return undefined;
    if (at.step === 'asking') return { text: s.submitting, content: nothing };
    if (at.step === 'failed') return { text: s.verifyFailed, content: nothing };
    if (at.step === 'verified') return { text: s.verified, content: nothing };
    if (at.step === 'expired') return { text: s.codeExpired, content: this.#renderResend(s) };
    const { started, error, left } = at;
    const message = error && fill(s[error] as string, { left: left ?? 0 });
    return {
      text: fill(s.codeSent, { phone: started.phone }),
      content: html`<div class="code">
        <label for="code">${fill(s.codeLabel, { digits: started.digits })}</label>
        <div class="row">
          <input
            part="code"
            id="code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            spellcheck="false"
            .value=${this.#typed}
            aria-invalid=${!!message}
            aria-describedby=${message ? 'code-error' : nothing}
            @input=${this.#onInput}
            @keydown=${this.#onKeydown}
          />
          <button type="button" @click=${() => this.#check()}>${s.check}</button>
        </div>
        ${fieldError('code', message || undefined)} ${this.#renderResend(s)}
      </div>`,
    };
  }

  #renderResend(s: WidgetStrings): TemplateResult {
    return html`<button class="link" type="button" ?disabled=${Date.now() < this.#resendAt} @click=${this.#ask}>
      ${s.resend}
    </button>`;
  }

  /** Asks the relay to ring the number with a (new) code. */
  #ask = async (): Promise<void> => {
    const { endpoint, verify } = this.#host;
    this.#show({ step: 'asking' });
    const answer = await startVerification(endpoint, { ...this.#request!, target: verify });
    if (answer?.status !== 202) return this.#show({ step: 'failed' }, answer);
    const started = answer.body as unknown as VerificationStarted;
    this.#typed = '';
    this.#resendAt = Date.now() + started.retryAfter * 1000;
    setTimeout(() => this.#host.requestUpdate(), started.retryAfter * 1000 + 50);
    this.#show({ step: 'code', started });
    void this.#host.updateComplete.then(() => this.#host.renderRoot.querySelector<HTMLElement>('#code')?.focus());
  };

  /** A whole code, typed or pasted, is checked at once. */
  #onInput = (event: Event): void => {
    this.#typed = (event.target as HTMLInputElement).value;
    const at = this.#at;
    if (at?.step === 'code' && this.#typed.replace(SEPARATORS, '').length === at.started.digits) void this.#check();
  };

  // Enter in the code field checks the code (the form's own submit would ask for a new call).
  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void this.#check();
  };

  async #check(): Promise<void> {
    const at = this.#at;
    if (at?.step !== 'code') return;
    const code = this.#typed.replace(SEPARATORS, '');
    if (!code) return this.#show({ ...at, error: 'codeEmpty' });
    const answer = await checkCode(this.#host.endpoint, at.started.verificationId, code);
    if (this.#at !== at) return; // a new code was asked for meanwhile
    const token = answer?.status === 200 && typeof answer.body.token === 'string' && answer.body.token;
    if (token) {
      this.#verified = { phone: this.#request?.phone, token };
      return this.#pass(token);
    }
    const error = answer?.body.error;
    if (error?.code === 'wrong_code') return this.#show({ ...at, error: 'wrongCode', left: error.attemptsLeft });
    this.#show(error?.code === 'verification_expired' ? { step: 'expired' } : { step: 'failed' }, answer);
  }

  #pass(token: string): void {
    this.#show({ step: 'verified' });
    this.#host.dispatchEvent(new MtVerifiedEvent(token));
    this.#then?.(token);
  }

  /** Moves to `step`; a refusal the visitor cannot act on goes to the console for the site's developer. */
  #show(step: Step, answer?: Awaited<ReturnType<typeof checkCode>>): void {
    this.#at = step;
    if (step.step === 'failed')
      console.warn(`mt-click-to-call: verifying a number failed: ${answer?.body.error?.code ?? 'network'}`);
    this.#host.requestUpdate();
  }
}

/** The verifier of one widget. */
export const attach = (host: MtClickToCall): Verifier => new Verifier(host);
