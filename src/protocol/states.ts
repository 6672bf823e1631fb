/**
 * Call states shared by the relay and the widget.
 *
 * A call starts `initiated` when Mobtexting accepts it (or `scheduled` when a callback is
 * booked for later, then `initiated` when it is dialled) and ends in exactly one final
 * state, set by the completion webhook or, when no report arrives in time, `unknown`; a
 * booking whose slot passed while no relay could dial it ends `missed`.
 */
export const CALL_STATES = [
  'scheduled',
  'initiated',
  'completed',
  'busy',
  'no-answer',
  'canceled',
  'unreachable',
  'agent-unavailable',
  'failed',
  'unknown',
  'missed',
] as const;

/** A call's state on the wire. */
export type CallState = (typeof CALL_STATES)[number];

/** The states a call passes through before it ends. */
export type OpenCallState = 'scheduled' | 'initiated';

/** A state after which nothing more happens to the call. */
export type FinalCallState = Exclude<CallState, OpenCallState>;

/**
 * The widget's state: `idle` before anything, `submitting` while the relay is asked,
 * then the call's state, or `error` when the request was refused or failed.
 */
export type WidgetState = 'idle' | 'submitting' | 'error' | CallState;

/** True for every state after which the call changes no more. */
export function isFinalState(state: string): state is FinalCallState {
  return state !== 'initiated' && state !== 'scheduled' && (CALL_STATES as readonly string[]).includes(state);
}
