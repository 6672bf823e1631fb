import type { CallEndedReport } from '../config/options.js';
import type { RelaySettings } from '../config/settings.js';
import type { Parties } from './parties.js';
import type { CallEnding, CallRecord } from './record.js';

/**
 * What a call's record becomes at each step of its life, and how long each step may
 * last. Which step follows which, and when, is the lifecycle's to decide
 * (`lifecycle.ts`); these only build the records.
 */

/** A slot a request books: its time, its place's key, how many it takes and until when a place is held. */
export interface Booking {
  at: number;
  slot: string;
  capacity: number;
  until: number;
}

/** How long after it is dialled a call is given up as `unknown`: its longest duration and the report grace. */
export function callLife(settings: RelaySettings, target: string | undefined): number {
  const configured = target === undefined ? undefined : settings.targets[target];
  return (configured?.duration ?? settings.defaultCallMinutes) * 60_000 + settings.reportGraceMs;
}

/** How long after its time a booking could still be open: the grace, then a call's life. */
export function bookingLife(settings: RelaySettings, target: string | undefined): number {
  return settings.bookingGraceMs + callLife(settings, target);
}

/** A new call: ringing now, or booked for a slot. A booking or a redial keeps what to dial with. */
export function newCallRecord(
  settings: RelaySettings,
  parties: Parties,
  variables: Record<string, string>,
  createdAt: number,
  booking?: Booking,
  callId: string = crypto.randomUUID(),
): CallRecord {
  const { target } = parties;
  const keep = (booking !== undefined || target.retry !== undefined) && Object.keys(variables).length > 0;
  return {
    callId,
    state: booking ? 'scheduled' : 'initiated',
    version: 1,
    target: parties.name,
    bridge: target.bridge ?? settings.bridge,
    ...parties.legs,
    claimedNumber: parties.number,
    phone: parties.label,
    createdAt,
    updatedAt: createdAt,
    expiresAt: booking
      ? booking.at + bookingLife(settings, parties.name)
      : createdAt + callLife(settings, parties.name),
    ...(booking && { dialAt: booking.at, slot: booking.slot }),
    ...(keep && { variables }),
  };
}

/** A ringing call booked again, for a redial at `at`, after the outcome `ending` gives. */
export function redialRecord(settings: RelaySettings, call: CallRecord, ending: CallEnding, at: number): CallRecord {
  return {
    ...call,
    state: 'scheduled',
    updatedAt: ending.at,
    dialAt: at,
    expiresAt: at + bookingLife(settings, call.target),
    retry: { reason: ending.state, attempt: (call.retry?.attempt ?? 0) + 1 },
    ...(ending.report !== undefined && { report: ending.report }),
  };
}

/** A booked call as ringing: dialled (or maybe dialled) at `dialledAt`. */
export function ringingRecord(settings: RelaySettings, call: CallRecord, dialledAt: number, at: number): CallRecord {
  const { lease: _lease, notBefore: _notBefore, ...rest } = call;
  return { ...rest, state: 'initiated', updatedAt: at, expiresAt: dialledAt + callLife(settings, call.target) };
}

/** A call as it ends. */
export function endedRecord(call: CallRecord, ending: CallEnding): CallRecord {
  const { lease: _lease, notBefore: _notBefore, ...rest } = call;
  return {
    ...rest,
    state: ending.state,
    updatedAt: ending.at,
    ...(ending.talkSeconds !== undefined && { talkSeconds: ending.talkSeconds }),
    ...(ending.report !== undefined && { report: ending.report }),
  };
}

/** What `onCallEnded` is told about a call that ended. */
export function endedReport(call: CallRecord, ending: CallEnding): CallEndedReport {
  const recordingUrl = ending.report?.recording_url;
  return {
    callId: call.callId,
    ...(call.target !== undefined && { target: call.target }),
    state: ending.state,
    from: call.from,
    to: call.to,
    bridge: call.bridge,
    ...(call.talkSeconds !== undefined && { talkSeconds: call.talkSeconds }),
    ...(typeof recordingUrl === 'string' && recordingUrl && { recordingUrl }),
    ...(ending.report !== undefined && { report: ending.report }),
  };
}
