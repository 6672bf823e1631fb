import type { CallEvent } from '../calls/record.js';

/** The event listeners of each call, in this process: what a store's `subscribe` keeps. */
export class CallListeners {
  readonly #byCall = new Map<string, Set<(event: CallEvent) => void>>();

  /** Adds a listener for a call; answers the function that removes it. */
  add(callId: string, listener: (event: CallEvent) => void, onLast?: () => void): () => void {
    let listeners = this.#byCall.get(callId);
    if (!listeners) this.#byCall.set(callId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      // Only this set: an unsubscribe called twice must not drop a newer listener's set.
      if (listeners.size === 0 && this.#byCall.get(callId) === listeners) {
        this.#byCall.delete(callId);
        onLast?.();
      }
    };
  }

  /** Hands an event to every listener of its call. */
  emit(callId: string, event: CallEvent): void {
    for (const listener of this.#byCall.get(callId) ?? []) listener(event);
  }

  has(callId: string): boolean {
    return this.#byCall.has(callId);
  }

  /** The calls with listeners. */
  calls(): IterableIterator<string> {
    return this.#byCall.keys();
  }

  /** How many listeners there are, across all calls. */
  get count(): number {
    let count = 0;
    for (const listeners of this.#byCall.values()) count += listeners.size;
    return count;
  }

  clear(): void {
    this.#byCall.clear();
  }
}
