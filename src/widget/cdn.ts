/**
 * The script-tag bundle's entry: defines `<mt-click-to-call>` and nothing else, so the
 * bundle carries no exports it would not use. Its chunks load from beside it (see
 * `chunks.cdn.ts`, which the build puts in place of `chunks.ts`).
 */
import { MtClickToCall } from './mt-click-to-call.component.js';

if (!customElements.get('mt-click-to-call')) customElements.define('mt-click-to-call', MtClickToCall);
