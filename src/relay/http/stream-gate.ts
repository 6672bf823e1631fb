import { addressKey } from './ip-address.js';

/** Why a stream was refused. */
export type StreamRefusal = 'address' | 'call';

/**
 * Counts the event streams this process holds open, by client address and by call, and
 * refuses one more past either cap: a stream holds a connection (a file descriptor) for
 * as long as a call lasts, so one client could otherwise hold them all.
 */
export class StreamGate {
  readonly #byAddress = new Map<string, number>();
  readonly #byCall = new Map<string, number>();
  readonly #perAddress: number;
  readonly #perCall: number;
  #open = 0;

  constructor(limits: { perAddress: number; perCall: number }) {
    this.#perAddress = limits.perAddress;
    this.#perCall = limits.perCall;
  }

  /** Streams open now, in this process. */
  get open(): number {
    return this.#open;
  }

  /**
   * Admits one more stream, answering the function that lets it go (call it once, when
   * the stream ends), or why it was refused.
   */
  admit(address: string | undefined, callId: string): { release: () => void } | { refused: StreamRefusal } {
    const key = address === undefined ? 'unknown' : addressKey(address);
    if ((this.#byAddress.get(key) ?? 0) >= this.#perAddress) return { refused: 'address' };
    if ((this.#byCall.get(callId) ?? 0) >= this.#perCall) return { refused: 'call' };
    change(this.#byAddress, key, 1);
    change(this.#byCall, callId, 1);
    this.#open++;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        change(this.#byAddress, key, -1);
        change(this.#byCall, callId, -1);
        this.#open--;
      },
    };
  }
}

function change(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
