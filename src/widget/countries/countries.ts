/**
 * The countries chunk, for a widget whose `country` is not India (the default, whose
 * calling code is in the core and whose name every language carries): the calling codes
 * of the other countries the widget knows, and the browser's names for countries, for the
 * hint. Without it, the field shows no calling code and the hint stays empty; the relay
 * still reads numbers of the widget's country.
 */
export { countryPrefix } from './dial-codes.js';
export { countryName, countryNameSoon } from './names.js';
