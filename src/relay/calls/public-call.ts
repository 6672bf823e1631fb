import type { PublicCall } from '../../protocol/index.js';
import { eventOf, type CallEventData, type CallRecord } from './record.js';

/**
 * The browser's view of a call: masked number, no legs, no report. Built from the record
 * as it stands, or as it stood at one of its events (for a stream's replay). Only this
 * leaves the server, and it is never stored: the wire shape may change without touching
 * the data.
 */
export function toPublicCall(call: CallRecord, event: CallEventData = eventOf(call)): PublicCall {
  return {
    callId: call.callId,
    state: event.state,
    phone: call.phone,
    ...(call.target !== undefined && { target: call.target }),
    createdAt: new Date(call.createdAt).toISOString(),
    updatedAt: new Date(event.at).toISOString(),
    ...(event.talkSeconds !== undefined && { talkSeconds: event.talkSeconds }),
    ...(event.dialAt !== undefined && { at: new Date(event.dialAt).toISOString() }),
    ...(event.retry !== undefined && { retry: { reason: event.retry.reason, attempt: event.retry.attempt } }),
  };
}
