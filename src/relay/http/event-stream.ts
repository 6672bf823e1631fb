import { isFinalState } from '../../protocol/index.js';
import { toPublicCall } from '../calls/public-call.js';
import type { CallEvent, CallRecord } from '../calls/record.js';
import type { Logger } from '../log.js';
import type { CallEvents } from '../store/roles.js';

const encoder = new TextEncoder();

/** One SSE message for a call event: `id:`, `event: state`, the public call as `data:`. */
export function formatEvent(call: CallRecord, event: CallEvent): string {
  return `id: ${event.id}\nevent: state\ndata: ${JSON.stringify(toPublicCall(call, event))}\n\n`;
}

/** What an event stream needs. */
export interface EventStreamContext {
  store: CallEvents;
  log: Logger;
  heartbeatMs: number;
}

/**
 * Streams a call's state changes as Server-Sent Events. Events after `lastEventId` are
 * replayed first (all of them without it), then new ones follow as they happen; the
 * stream ends after the final state. A comment line every `heartbeatMs` keeps proxies
 * from closing a quiet stream. The stream only reads: a call whose report is overdue is
 * settled by the sweep, whose event then arrives like any other. When the client goes
 * away or the stream ends, everything it held is released at once, and `onEnd` is called.
 */
export function callEventStream(
  relay: EventStreamContext,
  call: CallRecord,
  lastEventId: string | undefined,
  onEnd: () => void = () => {},
): ReadableStream<Uint8Array> {
  let open = true;
  let release = onEnd;
  /** Stops everything this stream holds; a second call does nothing. */
  const stop = () => {
    if (!open) return false;
    open = false;
    release();
    return true;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let replaying = true;
      const held: CallEvent[] = [];
      const sent = new Set<string>();
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const finish = () => {
        if (stop()) controller.close();
      };
      const deliver = (event: CallEvent) => {
        if (!open || sent.has(event.id)) return;
        sent.add(event.id);
        write(formatEvent(call, event));
        if (isFinalState(event.state)) finish();
      };

      const unsubscribe = relay.store.subscribe(call.callId, (event) =>
        replaying ? held.push(event) : deliver(event),
      );
      const heartbeat = setInterval(() => write(': keep-alive\n\n'), relay.heartbeatMs);
      release = () => {
        unsubscribe();
        clearInterval(heartbeat);
        onEnd();
      };

      write('retry: 3000\n\n');
      relay.store
        .readEvents(call.callId, lastEventId)
        .then((events) => {
          replaying = false;
          for (const event of [...events, ...held]) deliver(event);
          // Everything was already seen and the call has ended: nothing more will come.
          if (isFinalState(call.state)) finish();
        })
        .catch((err: unknown) => {
          relay.log('error', 'sse.replay_failed', {
            callId: call.callId,
            reason: err instanceof Error ? err.message : String(err),
          });
          finish();
        });
    },
    // The client went away: writing or closing now would throw, so only let go.
    cancel() {
      stop();
    },
  });
}

/** Headers of an event stream. */
export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // nginx and similar proxies buffer responses unless told not to.
  'X-Accel-Buffering': 'no',
};
