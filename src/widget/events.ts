import type { CallState, ErrorCode, FinalCallState, PublicCall } from '../protocol/index.js';

/** What every widget event shares: it bubbles and crosses shadow roots; its fields are set at once. */
abstract class MtEvent<Fields extends object> extends Event {
  constructor(type: string, fields: Fields, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
    Object.assign(this, fields);
  }
}

/**
 * Fired before the widget asks the relay for a call. Cancel it to stop the call, or add
 * `variables` for the target's IVR flow.
 */
export class MtCallRequestEvent extends MtEvent<Pick<MtCallRequestEvent, 'phone' | 'targetName' | 'variables'>> {
  /** The number about to be sent (as typed), or `undefined` for a ticket. */
  declare readonly phone: string | undefined;
  /** The relay target named by the widget (`target` would clash with `Event.target`). */
  declare readonly targetName: string | undefined;
  /** Variables to send; the listener may change or extend them. */
  declare variables: Record<string, string>;
  constructor(fields: Pick<MtCallRequestEvent, 'phone' | 'targetName' | 'variables'>) {
    super('mt-call-request', fields, true);
  }
}

/** Fired when the relay has accepted the call and the visitor's phone is about to ring. */
export class MtCallInitiatedEvent extends MtEvent<Pick<MtCallInitiatedEvent, 'callId' | 'phone'>> {
  declare readonly callId: string;
  /** The number being rung, masked (or a ticket's label). */
  declare readonly phone: string;
  constructor(fields: Pick<MtCallInitiatedEvent, 'callId' | 'phone'>) {
    super('mt-call-initiated', fields);
  }
}

/** Fired when the relay has booked a callback: the visitor will be called at `at`. */
export class MtCallScheduledEvent extends MtEvent<Pick<MtCallScheduledEvent, 'callId' | 'at'>> {
  declare readonly callId: string;
  /** When the visitor will be called: an ISO instant. */
  declare readonly at: string;
  constructor(fields: Pick<MtCallScheduledEvent, 'callId' | 'at'>) {
    super('mt-call-scheduled', fields);
  }
}

/** What the events about a call's state share: the call, its id and its state. */
abstract class MtCallEvent<State extends CallState> extends MtEvent<object> {
  declare readonly callId: string;
  declare readonly state: State;
  declare readonly call: PublicCall;
  constructor(type: string, call: PublicCall) {
    super(type, { callId: call.callId, state: call.state, call });
  }
}

/** Fired on every change of the call's state, `initiated` included. */
export class MtCallStateEvent extends MtCallEvent<CallState> {
  constructor(call: PublicCall) {
    super('mt-call-state', call);
  }
}

/** Fired once when the call reaches its final state, after its `mt-call-state`. */
export class MtCallEndEvent extends MtCallEvent<FinalCallState> {
  constructor(call: PublicCall & { state: FinalCallState }) {
    super('mt-call-end', call);
  }
}

/** Why a request for a call failed: an error code of the relay, or one of the widget's own. */
export type WidgetErrorCode = ErrorCode | 'network' | 'timeout';

/** Fired when a call could not be started: refused by the relay, or the relay could not be reached. */
export class MtCallErrorEvent extends MtEvent<Pick<MtCallErrorEvent, 'code' | 'message' | 'field' | 'retryAfter'>> {
  declare readonly code: WidgetErrorCode;
  /** The sentence shown to the visitor. */
  declare readonly message: string;
  /** The field at fault, if any. */
  declare readonly field: string | undefined;
  /** Seconds until a rate limit lifts. */
  declare readonly retryAfter: number | undefined;
  constructor(fields: Pick<MtCallErrorEvent, 'code' | 'message' | 'field' | 'retryAfter'>) {
    super('mt-call-error', fields);
  }
}

declare global {
  interface HTMLElementEventMap {
    'mt-call-request': MtCallRequestEvent;
    'mt-call-initiated': MtCallInitiatedEvent;
    'mt-call-scheduled': MtCallScheduledEvent;
    'mt-call-state': MtCallStateEvent;
    'mt-call-end': MtCallEndEvent;
    'mt-call-error': MtCallErrorEvent;
  }
}
