import { relayUrl } from '../shared.js';
import type { Availability, CallWithdrawn } from '../../protocol/index.js';

/**
 * A target's hours and free callback slots (`GET /targets/:target/availability`), or
 * `undefined` when the relay cannot be asked or refuses.
 */
export async function fetchAvailability(endpoint: string, target: string): Promise<Availability | undefined> {
  try {
    const response = await fetch(relayUrl(endpoint, `/targets/${encodeURIComponent(target)}/availability`));
    return response.ok ? ((await response.json()) as Availability) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Withdraws a booked callback (`DELETE /calls/:callId`): the call's state after it
 * (`canceled`, or how it ended meanwhile), or `undefined` when it could not be withdrawn
 * (it is being dialled, or the relay cannot be reached): its stream then tells what happens.
 */
export async function withdrawCall(endpoint: string, callId: string): Promise<CallWithdrawn | undefined> {
  try {
    const response = await fetch(relayUrl(endpoint, `/calls/${encodeURIComponent(callId)}`), { method: 'DELETE' });
    return response.ok ? ((await response.json()) as CallWithdrawn) : undefined;
  } catch {
    return undefined;
  }
}
