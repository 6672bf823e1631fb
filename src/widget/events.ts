import type { CallState, ErrorCode, FinalCallState, PublicCall } from '../protocol/index.js';

const init = { bubbles: true, composed: true } as const;

/**
 * Fired before the widget asks the relay for a call. Cancel it to stop the call, or add
 * `variables` for the target's IVR flow.
 */
export class MtCallRequestEvent extends Event {
  /** The number about to be sent (as typed, with the dial code), or `undefined` for a ticket. */
  readonly phone: string | undefined;
  /** The relay target named by the widget (`target` would clash with `Event.target`). */
  readonly targetName: string | undefined;
  /** Variables to send; the listener may change or extend them. */
  variables: Record<string, string>;
  constructor(phone: string | undefined, targetName: string | undefined, variables: Record<string, string>) {
    super('mt-call-request', { ...init, cancelable: true });
    this.phone = phone;
    this.targetName = targetName;
    this.variables = variables;
  }
}

/** Fired when the relay has accepted the call and the visitor's phone is about to ring. */
export class MtCallInitiatedEvent extends Event {
  readonly callId: string;
  /** The number being rung, masked. */
  readonly phone: string;
  constructor(callId: string, phone: string) {
    super('mt-call-initiated', init);
    this.callId = callId;
    this.phone = phone;
  }
}

/** Fired on every change of the call's state, `initiated` included. */
export class MtCallStateEvent extends Event {
  readonly callId: string;
  readonly state: CallState;
  readonly call: PublicCall;
  constructor(call: PublicCall) {
    super('mt-call-state', init);
    this.callId = call.callId;
    this.state = call.state;
    this.call = call;
  }
}

/** Fired once when the call reaches its final state, after its `mt-call-state`. */
export class MtCallEndEvent extends Event {
  readonly callId: string;
  readonly state: FinalCallState;
  readonly call: PublicCall;
  constructor(call: PublicCall & { state: FinalCallState }) {
    super('mt-call-end', init);
    this.callId = call.callId;
    this.state = call.state;
    this.call = call;
  }
}

/** Why a request for a call failed: an error code of the relay, or one of the widget's own. */
export type WidgetErrorCode = ErrorCode | 'network' | 'timeout';

/** Fired when a call could not be started: refused by the relay, or the relay could not be reached. */
export class MtCallErrorEvent extends Event {
  readonly code: WidgetErrorCode;
  /** The sentence shown to the visitor. */
  readonly message: string;
  /** The field at fault, if any. */
  readonly field: string | undefined;
  /** Seconds until a rate limit lifts. */
  readonly retryAfter: number | undefined;
  constructor(code: WidgetErrorCode, message: string, field?: string, retryAfter?: number) {
    super('mt-call-error', init);
    this.code = code;
    this.message = message;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

declare global {
  interface HTMLElementEventMap {
    'mt-call-request': MtCallRequestEvent;
    'mt-call-initiated': MtCallInitiatedEvent;
    'mt-call-state': MtCallStateEvent;
    'mt-call-end': MtCallEndEvent;
    'mt-call-error': MtCallErrorEvent;
  }
}
