import { relayUrl } from '../shared.js';
import type { PublicCall } from '../../protocol/index.js';
import type { Network } from '../relay-client.js';

/** How often a call's state is polled, at first and at most. */
const POLL_FIRST_MS = 2000;
const POLL_MAX_MS = 15_000;

/**
 * Reads a call's public state: `gone` when the relay no longer knows the call,
 * `undefined` when it could not be asked. An abort through `signal` rejects.
 */
export async function fetchCall(
  net: Network,
  endpoint: string,
  callId: string,
  signal: AbortSignal,
): Promise<PublicCall | 'gone' | undefined> {
  try {
    const response = await net.fetch(relayUrl(endpoint, `/calls/${encodeURIComponent(callId)}`), { signal });
    if (response.status === 404) return 'gone';
    return response.ok ? ((await response.json()) as PublicCall) : undefined;
  } catch (err) {
    if (signal.aborted) throw err;
    return undefined;
  }
}

/**
 * Follows a call by asking `GET /calls/:callId` now and then, where its event stream is
 * refused or keeps failing (or the page already holds as many streams as it should),
 * calling `onCall` with each state. A call the relay no longer knows ends as `unknown`.
 * Stops when `signal` aborts, which the widget does once the call is final.
 */
export async function pollCall(
  net: Network,
  endpoint: string,
  call: PublicCall,
  onCall: (call: PublicCall) => void,
  signal: AbortSignal,
): Promise<void> {
  for (let delay = POLL_FIRST_MS; !signal.aborted; delay = Math.min(delay * 1.5, POLL_MAX_MS)) {
    try {
      const answer = await fetchCall(net, endpoint, call.callId, signal);
      if (answer === 'gone') return onCall({ ...call, state: 'unknown' });
      if (answer) onCall((call = answer));
      await new Promise((resolve) => setTimeout(resolve, delay));
    } catch {
      return; // aborted
    }
  }
}
