import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isFinalState, type CallRequest, type PublicCall, type WidgetState } from '../protocol/index.js';
import { MtCallEndEvent, MtCallErrorEvent, MtCallInitiatedEvent, MtCallStateEvent } from './events.js';
import { followCall } from './live-call.js';
import { fetchCall, idempotencyKey, requestCall, type RequestFailure } from './relay-client.js';

/** What a new request or a reset forgets. */
const CLEAR = { call: undefined, failure: undefined, startedAt: undefined, retryAt: undefined };

/**
 * The life of one call, outside rendering: asks the relay, then follows the call to its
 * final state, and fires the widget's events on the way. One controller per widget, so
 * widgets side by side never share a call.
 */
export class CallController implements ReactiveController {
  /** Where the widget is. */
  state: WidgetState = 'idle';
  /** The call as last known. */
  call: PublicCall | undefined;
  /** Why the request failed, in state `error`. */
  failure: RequestFailure | undefined;
  /** When the phone started ringing (epoch ms). */
  startedAt: number | undefined;
  /** When a rate limit lifts (epoch ms). */
  retryAt: number | undefined;

  readonly #host: ReactiveControllerHost & HTMLElement;
  /** Explains a failure in the visitor's language, for `mt-call-error`. */
  readonly #describe: (failure: RequestFailure) => string;
  #abort: AbortController | undefined;
  #endpoint = '';
  #ticker: ReturnType<typeof setInterval> | undefined;
  #lifts: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, describe: (failure: RequestFailure) => string) {
    this.#host = host;
    this.#describe = describe;
    host.addController(this);
  }

  /** True while a request or a call is under way: no second call may start. */
  get busy(): boolean {
    return this.state === 'submitting' || this.state === 'initiated';
  }

  /**
   * Asks the relay for a call and follows it. Does nothing while another call is under way.
   */
  async start(endpoint: string, body: CallRequest): Promise<void> {
    if (this.busy) return;
    this.#stop();
    this.#endpoint = endpoint;
    const abort = (this.#abort = new AbortController());
    this.#set('submitting', CLEAR);
    let outcome;
    try {
      outcome = await requestCall(endpoint, body, idempotencyKey(), abort.signal);
    } catch {
      return; // aborted: the widget was removed or reset
    }
    if (abort.signal.aborted) return;
    if (outcome.ok) {
      const { callId, phone } = outcome.accepted;
      const now = new Date().toISOString();
      this.#host.dispatchEvent(new MtCallInitiatedEvent({ callId, phone }));
      this.update({ callId, state: 'initiated', phone, createdAt: now, updatedAt: now });
      this.#follow();
      return;
    }
    const failure = outcome.failure;
    // Someone already called this number and the call is still on: follow that call.
    if (failure.code === 'call_in_progress' && failure.callId) {
      const current = await fetchCall(endpoint, failure.callId, abort.signal).catch(() => undefined);
      if (abort.signal.aborted) return;
      if (current && current !== 'gone') {
        this.update(current);
        if (this.state === 'initiated') this.#follow();
        return;
      }
    }
    const retryAt = failure.retryAfter ? Date.now() + failure.retryAfter * 1000 : undefined;
    this.#set('error', { failure, retryAt });
    // Re-render when a rate limit lifts, so that Try again becomes available.
    if (retryAt) this.#lifts = setTimeout(() => this.#host.requestUpdate(), retryAt - Date.now() + 50);
    this.#host.dispatchEvent(
      new MtCallErrorEvent({
        code: failure.code,
        message: this.#describe(failure),
        field: failure.field,
        retryAfter: failure.retryAfter,
      }),
    );
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
      this.#set('initiated', { startedAt: Date.parse(call.createdAt) || Date.now() });
    } else {
      this.#stop();
      this.#set(call.state, {});
    }
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
    if (this.state === 'initiated' && !this.#abort) this.#follow();
  }

  hostDisconnected(): void {
    const wasSubmitting = this.state === 'submitting';
    this.#stop();
    if (wasSubmitting) this.state = 'idle';
  }

  /** Follows the current call's live state, with the elapsed time ticking meanwhile. */
  #follow(): void {
    this.#abort ??= new AbortController();
    this.#ticker ??= setInterval(() => this.#host.requestUpdate(), 1000);
    if (this.call) followCall(this.#endpoint, this.call, (call) => this.update(call), this.#abort.signal);
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
