import { isFinalState, type PublicCall } from '../protocol/index.js';
import { fetchCall, relayUrl } from './relay-client.js';

/** How often the state is polled where the event stream fails, at first and at most. */
const POLL_FIRST_MS = 2000;
const POLL_MAX_MS = 15_000;

/**
 * Event streams this page holds open. Over HTTP/1.1 a browser keeps at most six
 * connections to a host, and each stream holds one for the whole call: with many calls
 * at once (a CRM table), further ones poll, so the page keeps connections for requests.
 */
let openStreams = 0;
const MAX_STREAMS = 4;

/**
 * Follows a call until its final state, calling `onCall` with each state the relay
 * reports. Listens to the relay's Server-Sent Events; EventSource reconnects by itself
 * after a drop (asking for what it missed with Last-Event-ID). Where the stream is
 * refused or keeps failing, or EventSource is missing, it polls `GET /calls/:callId`
 * instead. A call the relay no longer knows ends as `unknown`. Stops when `signal` aborts.
 */
export function followCall(
  endpoint: string,
  call: PublicCall,
  onCall: (call: PublicCall) => void,
  signal: AbortSignal,
): void {
  let last = call;
  const report = (next: PublicCall) => {
    last = next;
    onCall(next);
    return isFinalState(next.state);
  };

  const poll = async () => {
    for (let delay = POLL_FIRST_MS; !signal.aborted; delay = Math.min(delay * 1.5, POLL_MAX_MS)) {
      try {
        const answer = await fetchCall(endpoint, call.callId, signal);
        if (answer === 'gone') return void report({ ...last, state: 'unknown' });
        if (answer && report(answer)) return;
        await new Promise((resolve) => setTimeout(resolve, delay));
      } catch {
        return; // aborted
      }
    }
  };

  if (typeof EventSource !== 'function' || openStreams >= MAX_STREAMS) return void poll();
  const source = new EventSource(relayUrl(endpoint, `/calls/${encodeURIComponent(call.callId)}/events`));
  openStreams++;
  let open = true;
  const close = () => {
    if (open) openStreams--;
    open = false;
    source.close();
  };
  let failures = 0;
  source.onopen = () => (failures = 0);
  source.addEventListener('state', (event) => {
    if (report(JSON.parse((event as MessageEvent<string>).data) as PublicCall)) close();
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED || ++failures >= 3) {
      close();
      void poll();
    }
  };
  signal.addEventListener('abort', close);
}
