import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isFinalState, type CallRequest, type PublicCall, type WidgetState } from '../protocol/index.js';
import { forgetCall, keepCall, keptCall } from './call-memory.js';
import {
  MtCallEndEvent,
  MtCallErrorEvent,
  MtCallInitiatedEvent,
  MtCallScheduledEvent,
  MtCallStateEvent,
} from './events.js';
import type { ChunkModule } from './chunks.js';
import { followCall } from './live-call.js';
import { idempotencyKey, requestCall, type Network, type RequestFailure } from './relay-client.js';

/**
 * How long a call may ring before the widget stops asking the visitor to answer: both legs
 * rung in turn, with a redial, are over by then. Past it, the call is under way or its
 * outcome is late; the relay still reports it, `unknown` at the latest.
 */
export const LATE_AFTER_MS = 90_000;

/** What a new request or a reset forgets. */
const CLEAR = { call: undefined, failure: undefined, startedAt: undefined, retryAt: undefined };

/** The recovery chunk: what a call needs only when something went wrong or was cut short. */
export type Recovery = ChunkModule<'recovery'>;

/** What a call controller is given. */
export interface CallOptions {
  /**
   * Loads the recovery chunk, the first time a call needs it: a refusal to tell, an
   * outcome other than completed or a late one to say, a stream to replace by polling, a
   * kept call to read. `undefined` when it cannot be loaded: a
   * refusal is then told as it came, a call that cannot be followed ends as `unknown`,
   * and a kept call is not picked up.
   */
  recovery: () => Promise<Recovery | undefined>;
  /** The visitor's sentence for a refusal, fired with `mt-call-error`. */
  describe: (failure: RequestFailure) => string;
  /** The page's `fetch` and `EventSource` (`globalThis`, the default), or a test's. */
  net?: Network;
}

/**
 * The life of one call, outside rendering: asks the relay, then follows the call to its
 * final state, and fires the widget's events on the way. One controller per widget, so
 * widgets side by side never share a call. The call's id is kept in the tab under the
 * widget's key until the call ends, so a reload picks the same call up again.
 */
export class CallController implements ReactiveController {
  /** Where the widget is. */
  state: WidgetState = 'idle';
  /** The call as last known. */
  call: PublicCall | undefined;
  /** Why the request failed, in state `error`. */
  failure: RequestFailure | undefined;
  /** When the relay accepted the call (epoch ms). */
  startedAt: number | undefined;
  /** When a rate limit lifts (epoch ms). */
  retryAt: number | undefined;

  readonly #host: ReactiveControllerHost & EventTarget;
  readonly #recovery: CallOptions['recovery'];
  readonly #describe: CallOptions['describe'];
  readonly #net: Network;
  #abort: AbortController | undefined;
  #endpoint = '';
  /** Where the current call is kept in the tab. */
  #memoryKey = '';
  #ticker: ReturnType<typeof setInterval> | undefined;
  #lifts: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost & EventTarget, { recovery, describe, net = globalThis }: CallOptions) {
    this.#host = host;
    this.#recovery = recovery;
    this.#describe = describe;
    this.#net = net;
    host.addController(this);
  }

  /** True while a request, a booked callback or a call is under way: no second call may start. */
  get busy(): boolean {
    return this.state === 'submitting' || this.state === 'initiated' || this.state === 'scheduled';
  }

  /** True once a ringing call has passed its ringing time with no outcome yet. */
  get late(): boolean {
    return this.state === 'initiated' && Date.now() - (this.startedAt ?? Date.now()) >= LATE_AFTER_MS;
  }

  /** True while a rate limit holds: no request may be sent before `retryAt`. */
  get rateLimited(): boolean {
    return (this.retryAt ?? 0) > Date.now();
  }

  /**
   * Asks the relay for a call and follows it, keeping it under `key`. Does nothing while
   * another call is under way.
   */
  async start(endpoint: string, body: CallRequest, key: string): Promise<void> {
    if (this.busy) return;
    this.#stop();
    this.#endpoint = endpoint;
    this.#memoryKey = key;
    const { signal } = (this.#abort = new AbortController());
    this.#set('submitting', CLEAR);
    let outcome;
    let failure;
    try {
      outcome = await requestCall(this.#net, endpoint, body, idempotencyKey(), signal);
      // A refusal is told once the recovery chunk has looked at it (a refused origin, say).
      if (!outcome.ok)
        failure =
          (await (await this.#recovery())?.refine(this.#net, outcome.failure, endpoint, signal)) ?? outcome.failure;
    } catch {
      return; // aborted: the widget was removed or reset
    }
    if (signal.aborted) return;
    if (outcome.ok) {
      const { callId, phone, state, at } = outcome.accepted;
      const now = Date.now();
      // A booked callback rings at its time: its ringing time counts from then.
      keepCall(key, { callId, at: at ? Date.parse(at) : now });
      if (at) this.#host.dispatchEvent(new MtCallScheduledEvent({ callId, at }));
      else {
        this.startedAt = now;
        this.#host.dispatchEvent(new MtCallInitiatedEvent({ callId, phone }));
      }
      const iso = new Date(now).toISOString();
      this.update({ callId, state, phone, ...(at && { at }), createdAt: iso, updatedAt: iso });
      this.#follow();
      return;
    }
    const { code, field, retryAfter } = failure!;
    const retryAt = retryAfter ? Date.now() + retryAfter * 1000 : undefined;
    this.#set('error', { failure, retryAt });
    // Re-render when a rate limit lifts, so that Call and Try again become available.
    if (retryAt) this.#lifts = setTimeout(() => this.#host.requestUpdate(), retryAt - Date.now() + 50);
    this.#host.dispatchEvent(new MtCallErrorEvent({ code, message: this.#describe(failure!), field, retryAfter }));
  }

  /**
   * Picks up the call this widget started before the page was reloaded, if one is kept
   * under `key` and the relay still knows it; a call the relay has forgotten is forgotten.
   */
  async resume(endpoint: string, key: string): Promise<void> {
    const kept = keptCall(key);
    if (!kept || this.state !== 'idle') return;
    this.#endpoint = endpoint;
    this.#memoryKey = key;
    const abort = (this.#abort = new AbortController());
    const recovery = await this.#recovery();
    const call = await recovery?.fetchCall(this.#net, endpoint, kept.callId, abort.signal).catch(() => undefined);
    if (abort.signal.aborted || this.state !== 'idle') return;
    this.#abort = undefined;
    if (call === 'gone') return forgetCall(key);
    if (!call) return; // the relay cannot be reached now; the next load tries again
    this.startedAt = kept.at;
    this.update(call);
    if (this.busy) this.#follow();
  }

  /** Applies a state the relay reported for the current call; repeated or stale states change nothing. */
  update(call: PublicCall): void {
    if (
      this.call &&
      (this.call.callId !== call.callId || isFinalState(this.call.state) || this.call.state === call.state)
    )
      return;
    this.call = call;
    if (call.state === 'initiated') {
      this.#set('initiated', { startedAt: this.startedAt ?? Date.now() });
    } else {
      if (call.state !== 'scheduled') this.#stop();
      this.#set(call.state, {});
    }
    if (isFinalState(call.state)) forgetCall(this.#memoryKey);
    if (isFinalState(call.state) && call.state !== 'completed') this.#cutShort();
    this.#host.dispatchEvent(new MtCallStateEvent(call));
    if (isFinalState(call.state)) this.#host.dispatchEvent(new MtCallEndEvent({ ...call, state: call.state }));
  }

  /** Back to `idle`, abandoning whatever was under way. */
  reset(): void {
    this.#stop();
    this.#set('idle', CLEAR);
  }

  /** Picks up the call again when the widget is put back on the page (moved, say). */
  hostConnected(): void {
    if (this.busy && this.call && !this.#abort) this.#follow();
  }

  hostDisconnected(): void {
    const wasSubmitting = this.state === 'submitting';
    this.#stop();
    if (wasSubmitting) this.state = 'idle';
  }

  /**
   * Follows the current call's live state (a booked callback's too), re-rendering every
   * second while it rings for the elapsed time, until the ringing time has passed. Where its stream fails, the recovery
   * chunk polls; without that chunk, how the call went is unknown.
   */
  #follow(): void {
    const { signal } = (this.#abort ??= new AbortController());
    this.#ticker ??= setInterval(() => {
      if (this.late) {
        clearInterval(this.#ticker);
        this.#cutShort();
      }
      if (this.state === 'initiated') this.#host.requestUpdate();
    }, 1000);
    const call = this.call!;
    const onCall = (next: PublicCall) => this.update(next);
    const poll = () =>
      void this.#recovery().then((recovery) =>
        recovery
          ? recovery.pollCall(this.#net, this.#endpoint, call, onCall, signal)
          : signal.aborted || onCall({ ...this.call!, state: 'unknown' }),
      );
    followCall(this.#net, this.#endpoint, call, onCall, signal, poll);
  }

  /**
   * A call cut short (an outcome other than completed, or a late one): what the widget
   * says of it comes with the recovery chunk, which is loaded now; the widget shows it
   * once it is here, or its own words where it cannot be loaded.
   */
  #cutShort(): void {
    void this.#recovery().then(() => this.#host.requestUpdate());
  }

  #set(state: WidgetState, fields: Partial<Pick<CallController, 'call' | 'failure' | 'startedAt' | 'retryAt'>>): void {
    Object.assign(this, fields);
    this.state = state;
    this.#host.requestUpdate();
  }

  #stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    clearTimeout(this.#lifts);
  }
}
