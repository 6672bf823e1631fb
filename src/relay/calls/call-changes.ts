import { isFinalState } from '../../protocol/index.js';
import { endedRecord, endedReport } from './call-steps.js';
import { detach, type Background, type LifecycleContext } from './lifecycle-context.js';
import { dueOf, eventOf, type CallEnding, type CallRecord } from './record.js';

/** How many times a change is decided again when another instance changed the call first. */
const MAX_ATTEMPTS = 3;

/**
 * Changes of a recorded call, each decided here and applied by the store atomically (a
 * compare of the call's version), so that instances changing one call at once agree.
 */
export class CallChanges {
  readonly #relay: LifecycleContext;

  constructor(relay: LifecycleContext) {
    this.#relay = relay;
  }

  /**
   * Decides a change of an open call and has the store apply it, deciding again when
   * another instance changed the call first. A final state is final: a call that has
   * ended is never changed; nor is one `decide` leaves alone (`undefined`). Ending a call
   * releases the number it claimed. `known` is the record as last read, if at hand. Each
   * change applied is told to the relay's activity (`call.changed`).
   */
  async change(
    callId: string,
    decide: (call: CallRecord) => CallRecord | undefined,
    known?: CallRecord,
  ): Promise<CallRecord | undefined> {
    const { store } = this.#relay;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // The record just read or written, when there is one, saves reading it again: if it
      // is stale, the store refuses the change and the next attempt reads it.
      const call = attempt === 0 && known ? known : await store.getCall(callId);
      if (!call || isFinalState(call.state)) return undefined;
      const decided = decide(call);
      if (!decided) return undefined;
      const next = { ...decided, version: call.version + 1 };
      const ended = isFinalState(next.state);
      const applied = await store.updateCall({
        call: next,
        ...(next.state !== call.state && { event: eventOf(next) }),
        dueAt: dueOf(next),
        ...(ended && { release: call.claimedNumber }),
      });
      if (applied) {
        this.#relay.activity?.({ type: 'call.changed', before: call, after: next, at: this.#relay.now() });
        return next;
      }
    }
    return undefined;
  }

  /**
   * Ends an open call that `guard` accepts, then gives back its slot's place, logs it and
   * hands it to the site's `onCallEnded` hook, as work that may outlive the request.
   */
  async finish(
    callId: string,
    ending: CallEnding,
    guard: (call: CallRecord) => boolean,
    known?: CallRecord,
    background: Background = detach,
  ): Promise<CallRecord | undefined> {
    const ended = await this.change(callId, (call) => (guard(call) ? endedRecord(call, ending) : undefined), known);
    if (ended) await this.ended(ended, ending, background);
    return ended;
  }

  /** What follows a call's end: its slot's place given back, the log line, the site's hook. */
  async ended(ended: CallRecord, ending: CallEnding, background: Background): Promise<void> {
    const { store, log, onCallEnded } = this.#relay;
    const { callId } = ended;
    if (ended.slot) await store.releaseSlot(ended.slot, callId).catch(() => {}); // it lapses anyway
    log('info', 'call.ended', {
      callId,
      state: ended.state,
      target: ended.target,
      phone: ended.phone,
      talkSeconds: ended.talkSeconds,
    });
    if (onCallEnded) {
      // The hook is the site's code: its failure must not undo or delay the stored state.
      background(
        Promise.resolve()
          .then(() => onCallEnded(endedReport(ended, ending)))
          .catch((err: unknown) =>
            log('error', 'hook.on_call_ended_failed', {
              callId,
              reason: err instanceof Error ? err.message : String(err),
            }),
          ),
      );
    }
  }
}
