/**
 * The `<mt-click-to-call>` widget's class and types. Importing this module defines no
 * element; import `mt-click-to-call/define` for that.
 */
export { MtClickToCall } from './mt-click-to-call.component.js';
export {
  MtCallRequestEvent,
  MtCallInitiatedEvent,
  MtCallStateEvent,
  MtCallEndEvent,
  MtCallErrorEvent,
  type WidgetErrorCode,
} from './events.js';
export { BUILT_IN_STRINGS, type WidgetStrings, type StringOverrides } from './strings.js';
export type { CallState, FinalCallState, WidgetState, PublicCall } from '../protocol/index.js';
