import { isFinalState } from '../../protocol/index.js';
import type { Activity } from '../calls/activity.js';
import type { CallRecord } from '../calls/record.js';
import type { RelayContext } from '../context.js';
import type { EventSink } from '../http/event-sink.js';
import type { CallHistory, HistoryRow } from '../store/history.js';

/** A call under way, as the console's live panel shows it. */
export interface LiveCall {
  id: string;
  target?: string;
  phone: string;
  state: string;
  source?: string;
  requestedAt: number;
  updatedAt: number;
  talkSeconds?: number;
}

/** How often the live panel is sent the whole list again (calls placed through other instances appear then). */
const SNAPSHOT_MS = 5000;
/** Calls placed longer ago than this are not looked for as under way (a call lasts at most a few hours). */
const LOOK_BACK_MS = 26 * 3600_000;

const fromRow = (row: HistoryRow): LiveCall => ({
  id: row.id,
  phone: row.phone,
  state: row.state,
  source: row.source,
  requestedAt: row.requestedAt,
  updatedAt: row.steps.at(-1)?.at ?? row.requestedAt,
  ...(row.target !== undefined && { target: row.target }),
  ...(row.talkSeconds !== undefined && { talkSeconds: row.talkSeconds }),
});

const fromRecord = (call: CallRecord, source?: string): LiveCall => ({
  id: call.callId,
  phone: call.phone,
  state: call.state,
  requestedAt: call.createdAt,
  updatedAt: call.updatedAt,
  ...(source !== undefined && { source }),
  ...(call.target !== undefined && { target: call.target }),
  ...(call.talkSeconds !== undefined && { talkSeconds: call.talkSeconds }),
});

/**
 * The console's live panel as Server-Sent Events: `snapshot` (the calls under way now,
 * from the history) at once and every few seconds, then `call` for each call as it starts
 * or changes. Each call in a snapshot is followed through the store's own event stream,
 * the one the widget follows, so a report that reaches another instance arrives here as
 * fast; calls placed through this instance arrive from its activity at once.
 */
export class LiveFeed {
  readonly #relay: RelayContext;
  readonly #history: CallHistory;
  readonly #sink: EventSink;
  readonly #followed = new Map<string, () => void>();
  readonly #stopListening: () => void;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #onEnd: () => void;
  #open = true;

  constructor(relay: RelayContext, history: CallHistory, sink: EventSink, onEnd: () => void) {
    this.#relay = relay;
    this.#history = history;
    this.#sink = sink;
    this.#onEnd = onEnd;
    sink.write('retry: 3000\n\n');
    this.#stopListening = relay.activity.listen((activity) => this.#heard(activity));
    this.#timer = setInterval(() => void this.#snapshot(), SNAPSHOT_MS);
    void this.#snapshot();
  }

  stop(): void {
    if (!this.#open) return;
    this.#open = false;
    clearInterval(this.#timer);
    this.#stopListening();
    for (const unsubscribe of this.#followed.values()) unsubscribe();
    this.#followed.clear();
    this.#onEnd();
  }

  #send(event: string, data: unknown): void {
    if (this.#open) this.#sink.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  async #snapshot(): Promise<void> {
    try {
      const now = this.#relay.now();
      const { rows } = await this.#history.queryHistory({ state: 'initiated', from: now - LOOK_BACK_MS, limit: 500 });
      this.#send('snapshot', rows.map(fromRow));
      for (const row of rows) this.#follow(row.id);
    } catch (err) {
      this.#relay.log('error', 'console.live_failed', { reason: err instanceof Error ? err.message : String(err) });
    }
  }

  #heard(activity: Activity): void {
    if (activity.type === 'call.created') {
      this.#send('call', fromRecord(activity.call, activity.source));
      if (!isFinalState(activity.call.state)) this.#follow(activity.call.callId);
    } else if (activity.type === 'call.refused' && activity.recorded) {
      this.#send('call', { ...fromRecord(activity.call), state: 'refused', updatedAt: activity.at });
    }
  }

  /** Follows a call's own events until it ends. */
  #follow(id: string): void {
    if (this.#followed.has(id) || !this.#open) return;
    const unsubscribe = this.#relay.store.subscribe(id, (event) => {
      this.#send('change', {
        id,
        state: event.state,
        updatedAt: event.at,
        ...(event.talkSeconds !== undefined && { talkSeconds: event.talkSeconds }),
      });
      if (isFinalState(event.state)) {
        this.#followed.get(id)?.();
        this.#followed.delete(id);
      }
    });
    this.#followed.set(id, unsubscribe);
  }
}
