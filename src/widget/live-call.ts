import type { PublicCall } from '../protocol/index.js';
import { relayUrl, type Network } from './relay-client.js';

/**
 * Event streams this page holds open. Over HTTP/1.1 a browser keeps at most six
 * connections to a host, and each stream holds one for the whole call: with many calls
 * at once (a CRM table), further ones poll, so the page keeps connections for requests.
 */
let openStreams = 0;
const MAX_STREAMS = 4;

/** `EventSource.CLOSED`: the browser gave the stream up and will not reconnect. */
const CLOSED = 2;

/**
 * Follows a call, calling `onCall` with each state the relay reports, until `signal`
 * aborts (the widget aborts once the call is final). Listens to the relay's Server-Sent
 * Events; EventSource reconnects by itself after a drop (asking for what it missed with
 * Last-Event-ID). Where the stream is refused or keeps failing, or EventSource is
 * missing, or the page holds enough streams, it hands the call to `poll` instead.
 */
export function followCall(
  net: Network,
  endpoint: string,
  call: PublicCall,
  onCall: (call: PublicCall) => void,
  signal: AbortSignal,
  poll: () => void,
): void {
  if (typeof net.EventSource !== 'function' || openStreams >= MAX_STREAMS) return poll();
  const source = new net.EventSource(relayUrl(endpoint, `/calls/${encodeURIComponent(call.callId)}/events`));
  openStreams++;
  let isOpen = true;
  const close = () => {
    if (isOpen) openStreams--;
    isOpen = false;
    source.close();
  };
  let failures = 0;
  source.onopen = () => (failures = 0);
  source.addEventListener('state', (event) => onCall(JSON.parse((event as MessageEvent<string>).data) as PublicCall));
  source.onerror = () => {
    if (source.readyState === CLOSED || ++failures >= 3) {
      close();
      poll();
    }
  };
  signal.addEventListener('abort', close);
}
