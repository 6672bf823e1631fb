import { isFinalState } from '../../protocol/index.js';
import { publicPart, toPublicCall, type PublicPart } from '../calls/public-call.js';
import type { CallEvent, CallRecord } from '../calls/record.js';
import type { Logger } from '../log.js';
import type { CallEvents } from '../store/roles.js';
import type { EventSink } from './event-sink.js';

/** One SSE message for a call event: `id:`, `event: state`, the public call as `data:`. */
export function formatEvent(call: PublicPart, event: CallEvent): string {
  return `id: ${event.id}\nevent: state\ndata: ${JSON.stringify(toPublicCall(call, event))}\n\n`;
}

/** What an event stream needs. */
export interface EventStreamContext {
  store: CallEvents;
  log: Logger;
}

/**
 * Whether event id `a` comes after `b`. Ids increase with every event of a call: plain
 * numbers in memory, `<milliseconds>-<sequence>` in Redis.
 */
export function isAfter(a: string, b: string): boolean {
  const [aTime = 0, aSeq = 0] = a.split('-').map(Number);
  const [bTime = 0, bSeq = 0] = b.split('-').map(Number);
  return aTime > bTime || (aTime === bTime && aSeq > bSeq);
}

/**
 * A call's state changes as Server-Sent Events, written into a sink. Events after
 * `lastEventId` are replayed first (all of them without it), then new ones follow as they
 * happen; the stream ends after the final state. The stream only reads: a call whose
 * report is overdue is settled by the sweep, whose event then arrives like any other.
 * `stop()` lets go of everything the stream holds (also when the client went away), once;
 * `onEnd` is called then. One object with its methods, not a set of closures: thousands
 * are open at once.
 */
class CallEventStream {
  readonly #relay: EventStreamContext;
  readonly #sink: EventSink;
  readonly #onEnd: () => void;
  /** Only what the events show is kept for the life of the stream, not the whole record. */
  readonly #shown: PublicPart;
  readonly #unsubscribe: () => void;
  /** Events that came while the replay was being read; `undefined` once it was sent. */
  #held: CallEvent[] | undefined = [];
  /** The newest event sent: an event already sent may be handed over again by a shared store. */
  #last: string | undefined;
  #open = true;

  constructor(
    relay: EventStreamContext,
    call: CallRecord,
    lastEventId: string | undefined,
    sink: EventSink,
    onEnd: () => void,
  ) {
    this.#relay = relay;
    this.#sink = sink;
    this.#onEnd = onEnd;
    this.#shown = publicPart(call);
    this.#last = lastEventId;
    this.#unsubscribe = relay.store.subscribe(call.callId, (event) => this.#receive(event));
    sink.write('retry: 3000\n\n');
    void this.#replay(lastEventId, isFinalState(call.state));
  }

  stop(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#unsubscribe();
    this.#onEnd();
  }

  async #replay(lastEventId: string | undefined, ended: boolean): Promise<void> {
    try {
      const events = await this.#relay.store.readEvents(this.#shown.callId, lastEventId);
      const held = this.#held ?? [];
      this.#held = undefined;
      for (const event of [...events, ...held]) this.#deliver(event);
      // Everything was already seen and the call has ended: nothing more will come.
      if (ended) this.#finish();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.#relay.log('error', 'sse.replay_failed', { callId: this.#shown.callId, reason });
      this.#finish();
    }
  }

  #receive(event: CallEvent): void {
    if (this.#held) this.#held.push(event);
    else this.#deliver(event);
  }

  #deliver(event: CallEvent): void {
    if (!this.#open || (this.#last !== undefined && !isAfter(event.id, this.#last))) return;
    this.#last = event.id;
    this.#sink.write(formatEvent(this.#shown, event));
    if (isFinalState(event.state)) this.#finish();
  }

  #finish(): void {
    if (!this.#open) return;
    this.stop();
    this.#sink.end();
  }
}

/** Starts streaming a call's events into `sink`; see {@link CallEventStream}. */
export function streamCallEvents(
  relay: EventStreamContext,
  call: CallRecord,
  lastEventId: string | undefined,
  sink: EventSink,
  onEnd: () => void = () => {},
): { stop(): void } {
  return new CallEventStream(relay, call, lastEventId, sink, onEnd);
}

/** Headers of an event stream. */
export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // nginx and similar proxies buffer responses unless told not to.
  'X-Accel-Buffering': 'no',
};
