/**
 * The `<mt-click-to-call>` widget's class and types. Importing this module defines no
 * element; import `mt-click-to-call/define` for that.
 */
export { MtClickToCall } from './mt-click-to-call.component.js';
export {
  MtCallRequestEvent,
  MtCallInitiatedEvent,
  MtCallScheduledEvent,
  MtCallStateEvent,
  MtCallEndEvent,
  MtCallErrorEvent,
  type WidgetErrorCode,
} from './events.js';
export { MtVerifiedEvent } from './verify/verified-event.js';
export type { WidgetStrings, StringOverrides } from './strings.js';
export { ENGLISH_STRINGS } from './english.js';
export { LANGUAGES, loadStrings, type Language } from './language.js';
export type { CallState, FinalCallState, WidgetState, PublicCall } from '../protocol/index.js';
