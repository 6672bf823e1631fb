/**
 * The recovery chunk: what the widget needs only once something went wrong or was cut
 * short, loaded the first time it is needed. What each refusal means to the visitor (and
 * whether Try again or the `fallback-tel` number may help), telling a relay that refuses
 * this page's origin from one that cannot be reached, the developer's console line;
 * polling a call whose event stream is refused; reading the call a widget kept across a
 * reload; and the English and look of all that. Without it, a refusal reads as a call
 * service that cannot be reached (Try again and the fallback number are offered), a call
 * whose stream fails ends as `unknown`, and a kept call is not picked up.
 */
export { answerTo, type Answer } from './answers.js';
export { RECOVERY_ENGLISH as english } from './english.js';
export { fetchCall, pollCall } from './follow-up.js';
export { refine } from './refine.js';
export { recoveryStyles as styles } from './recovery.styles.js';
