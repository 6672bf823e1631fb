import { relayUrl } from '../shared.js';
import type { Availability, CallWithdrawn } from '../../protocol/index.js';

/** The JSON a relay route answers, or `undefined` when the relay cannot be reached or refuses. */
async function ask<T>(endpoint: string, path: string, init?: RequestInit): Promise<T | undefined> {
  try {
    const response = await fetch(relayUrl(endpoint, path), init);
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A target's hours and free callback slots (`GET /targets/:target/availability`), or
 * `undefined` when the relay cannot be asked or refuses.
 */
export const fetchAvailability = (endpoint: string, target: string) =>
  ask<Availability>(endpoint, `/targets/${encodeURIComponent(target)}/availability`);

/**
 * Withdraws a booked callback (`DELETE /calls/:callId`): the call's state after it
 * (`canceled`, or how it ended meanwhile), or `undefined` when it could not be withdrawn
 * (it is being dialled, or the relay cannot be reached): its stream then tells what happens.
 */
export const withdrawCall = (endpoint: string, callId: string) =>
  ask<CallWithdrawn>(endpoint, `/calls/${encodeURIComponent(callId)}`, { method: 'DELETE' });
