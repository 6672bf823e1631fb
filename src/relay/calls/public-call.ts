import { wireTime, type PublicCall } from '../../protocol/index.js';
import { eventOf, type CallEventData, type CallRecord } from './record.js';

/** The parts of a call record its public view shows, besides its state. */
export type PublicPart = Pick<CallRecord, 'callId' | 'phone' | 'target' | 'createdAt'>;

/** Just the parts of a record its public view needs: what a long-lived stream keeps. */
export function publicPart(call: CallRecord): PublicPart {
  return {
    callId: call.callId,
    phone: call.phone,
    ...(call.target !== undefined && { target: call.target }),
    createdAt: call.createdAt,
  };
}

/**
 * The browser's view of a call: masked number, no legs, no report. Built from the record
 * as it stands, or as it stood at one of its events (for a stream's replay). Only this
 * leaves the server, and it is never stored: the wire shape may change without touching
 * the data.
 */
export function toPublicCall(call: CallRecord): PublicCall;
export function toPublicCall(call: PublicPart, event: CallEventData): PublicCall;
export function toPublicCall(call: PublicPart | CallRecord, given?: CallEventData): PublicCall {
  const event = given ?? eventOf(call as CallRecord);
  return {
    callId: call.callId,
    state: event.state,
    phone: call.phone,
    ...(call.target !== undefined && { target: call.target }),
    createdAt: wireTime(call.createdAt),
    updatedAt: wireTime(event.at),
    ...(event.talkSeconds !== undefined && { talkSeconds: event.talkSeconds }),
    ...(event.dialAt !== undefined && { at: wireTime(event.dialAt) }),
    ...(event.retry !== undefined && { retry: { reason: event.retry.reason, attempt: event.retry.attempt } }),
  };
}
