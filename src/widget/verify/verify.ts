/**
 * The verify chunk, for a widget with `verify`: before the call, the relay rings the
 * visitor and a flow speaks a code; the visitor types it in the code field, and a right
 * code earns a token (`mt-verified`) that the call carries (`verified`). Without
 * `target`, the widget only verifies. Without this chunk, a widget with `verify` places
 * no call and says the call service cannot be reached.
 */
export { attach, Verifier } from './verifier.js';
export { MtVerifiedEvent } from './verified-event.js';
export { VERIFY_ENGLISH as english } from './english.js';
export { verifyStyles as styles } from './verify.styles.js';
