/**
 * The consent chunk, for a widget with `consent`: the checkbox the visitor must tick
 * before Call, its look and its English. Without it, the widget cannot ask for consent,
 * so it places no call and says the call service cannot be reached (the chunk could not
 * be, from the same place).
 */
export { attach, ConsentBox } from './consent-box.js';
export { CONSENT_ENGLISH as english } from './english.js';
export { consentStyles as styles } from './consent.styles.js';
