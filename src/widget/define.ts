/**
 * Registers `<mt-click-to-call>`. Import this entry (or load the script-tag bundle) once;
 * importing `mt-click-to-call` itself defines nothing.
 */
import { MtClickToCall } from './mt-click-to-call.component.js';

export * from './index.js';

if (!customElements.get('mt-click-to-call')) customElements.define('mt-click-to-call', MtClickToCall);

declare global {
  interface HTMLElementTagNameMap {
    'mt-click-to-call': MtClickToCall;
  }
}
