import { fieldError, html, nothing } from '../shared.js';
import type { TemplateResult } from 'lit';
import type { MtClickToCall } from '../mt-click-to-call.component.js';

/**
 * The consent checkbox of a widget with `consent`, before its Call button: the widget's
 * `consent` text beside it, announced as required; the visitor must tick it to call.
 */
export class ConsentBox {
  /** Whether the visitor ticked the box. */
  checked = false;
  readonly #host: MtClickToCall;

  constructor(host: MtClickToCall) {
    this.#host = host;
  }

  /** The box, and `error` by it (the widget's own check, or the relay's verdict). */
  render(error: string | undefined): TemplateResult {
    return html`<label part="consent">
        <input
          type="checkbox"
          aria-required="true"
          .checked=${this.checked}
          ?disabled=${this.#host.disabled}
          aria-invalid=${!!error}
          aria-describedby=${error ? 'consent-error' : nothing}
          @input=${this.#onInput}
        />
        <span>${this.#host.consent}</span>
      </label>
      ${fieldError('consent', error)}`;
  }

  // The widget hears the same event, and clears the error the box may have caused.
  #onInput = (event: Event): void => {
    this.checked = (event.target as HTMLInputElement).checked;
  };
}

/** The consent box of one widget. */
export const attach = (host: MtClickToCall): ConsentBox => new ConsentBox(host);
