/**
 * What the core lends its chunks: Lit and the helpers they share. A chunk imports these
 * from here, never from `lit` itself; the script-tag build maps this module to the core's
 * copy (see `chunks.cdn.ts`), so Lit is downloaded once.
 */
export { css, html, nothing } from 'lit';
export { fieldError } from './field-error.js';
export { icon } from './icons.js';
export { whenIdle } from './idle.js';
export { relayUrl } from './relay-client.js';
export { fill } from './strings.js';
