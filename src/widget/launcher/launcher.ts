import { html, icon } from '../shared.js';
import type { TemplateResult } from 'lit';
import type { MtClickToCall } from '../mt-click-to-call.component.js';
import type { WidgetStrings } from '../strings.js';
import { watchOpeners } from './openers.js';

export { LAUNCHER_ENGLISH as english } from './english.js';
export { launcherStyles as styles } from './launcher.styles.js';

/** The element that has the focus, looked for inside shadow roots too. */
function focused(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

/**
 * The launcher: a round call button fixed in a corner that opens the widget's form in a
 * modal `<dialog>`. `showModal()` puts it in the top layer, keeps the focus inside and
 * closes it on Escape; on closing, the focus goes back to what opened it (the round
 * button, or the page's own "Call us" link). The dialog stays open through the call, so
 * the visitor sees how it ends; a click on the backdrop closes it unless a call is under
 * way. Under 480 px it is a bottom sheet.
 */
export class Launcher {
  readonly #host: MtClickToCall;
  /** What had the focus when the dialog opened. */
  #opener: HTMLElement | null = null;

  constructor(host: MtClickToCall) {
    this.#host = host;
    watchOpeners();
  }

  get #dialog(): HTMLDialogElement | null {
    return this.#host.renderRoot.querySelector('dialog');
  }

  /** The round button and the dialog around the form. */
  render(form: TemplateResult, s: WidgetStrings): TemplateResult {
    return html`<button
        part="launcher"
        type="button"
        aria-haspopup="dialog"
        aria-label=${s.launcher}
        title=${s.launcher}
        @click=${() => this.open()}
      >
        ${icon('phone')}
      </button>
      <dialog part="dialog" aria-labelledby="title" @close=${this.#restoreFocus} @click=${this.#onClick}>
        <div class="head">
          <h2 id="title">${s.dialogTitle}</h2>
          <button part="cancel" type="button" aria-label=${s.close} @click=${() => this.close()}>
            ${icon('cross')}
          </button>
        </div>
        ${form}
      </dialog>`;
  }

  open(): void {
    const dialog = this.#dialog;
    if (!dialog || dialog.open) return;
    this.#opener = focused();
    dialog.showModal();
    this.#host.renderRoot.querySelector<HTMLElement>('[part=input], [part=button]')?.focus();
  }

  close(): void {
    this.#dialog?.close();
  }

  #restoreFocus = (): void => {
    const back = this.#opener?.isConnected ? this.#opener : this.#host.renderRoot.querySelector('button');
    this.#opener = null;
    back?.focus();
  };

  /** A click on the backdrop (outside the dialog's box) closes it, unless a call is under way. */
  #onClick = (event: MouseEvent): void => {
    const dialog = this.#dialog!;
    if (event.target !== dialog || ['submitting', 'initiated'].includes(this.#host.state)) return;
    const box = dialog.getBoundingClientRect();
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom;
    if (!inside) this.close();
  };
}

/** The launcher of one widget. */
export const attach = (host: MtClickToCall): Launcher => new Launcher(host);
