/**
 * The slots chunk, loaded when a call cannot happen now: the target is closed
 * (`target_closed`), or no one took the call (`no-answer`, `agent-unavailable`), or a
 * callback is booked. It says when the target opens, offers its free slots in a picker
 * (days, then times, in the visitor's language and time zone), books the chosen one, and
 * shows a booked callback's time with a Cancel that withdraws it. Without it, a closed
 * target reads as closed, and a booked callback as its state alone.
 */
export { attach, SlotPicker, type SlotView } from './slot-picker.js';
export { SLOTS_ENGLISH as english } from './english.js';
export { slotsStyles as styles } from './slots.styles.js';
