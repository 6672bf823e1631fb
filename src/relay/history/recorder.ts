import { isFinalState } from '../../protocol/index.js';
import { refusalReason, type Activity } from '../calls/activity.js';
import type { CallRecord } from '../calls/record.js';
import { QUARTER_HOUR_MS, type CallHistory, type HistoryChange, type RefusalTally } from '../store/history.js';

/** The report's fields kept in a row: its statuses and times, never its numbers. */
const STATUS_FIELDS = [
  'status',
  'status1',
  'status2',
  'hangup_by',
  'duration',
  'billing',
  'source',
  'start_at',
  'end_at',
] as const;

/** How often refusal counts gathered in memory are written (a flood of refusals must not mean a write each). */
const FLUSH_MS = 5000;

/** What the recorder needs. */
export interface RecorderContext {
  store: CallHistory;
  /** How long rows are kept. */
  keepMs: number;
  now: () => number;
  /** A write that failed (the store is unavailable): counted and logged by the relay. */
  failed: (err: unknown) => void;
}

/**
 * Keeps the history from the relay's activity: a row per call, booking and verification,
 * made when it is recorded and changed with each of its transitions; refusals of
 * requests are counted by reason and quarter hour, gathered in memory and written every
 * few seconds. Writes never hold up a call: a failed one is reported, not thrown.
 */
export class HistoryRecorder {
  readonly #relay: RecorderContext;
  readonly #tallies = new Map<string, RefusalTally>();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(relay: RecorderContext) {
    this.#relay = relay;
    this.#timer = setInterval(() => void this.flush(), FLUSH_MS);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Hears one activity (an {@link ActivityListener}). */
  readonly listen = (activity: Activity): void => {
    const change = this.#changeFor(activity);
    if (change) this.#write(change);
    if (activity.type === 'request.refused' && activity.status < 500) {
      this.#count(refusalReason(activity.code, activity.scope), activity.at);
    }
  };

  /** Writes the refusal counts gathered so far. */
  async flush(): Promise<void> {
    if (this.#tallies.size === 0) return;
    const tallies = [...this.#tallies.values()];
    this.#tallies.clear();
    await this.#relay.store.countRefusals(tallies).catch(this.#relay.failed);
  }

  /** Stops the timer, writing what is gathered. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  #write(change: Omit<HistoryChange, 'keepUntil'>): void {
    const row: HistoryChange = Object.assign(change, { keepUntil: change.requestedAt + this.#relay.keepMs });
    void this.#relay.store.recordHistory(row).catch(this.#relay.failed);
  }

  #count(reason: string, at: number): void {
    const quarter = Math.floor(at / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
    const key = `${quarter}|${reason}`;
    const tally = this.#tallies.get(key);
    if (tally) tally.count++;
    else this.#tallies.set(key, { reason, at: quarter, count: 1, keepUntil: quarter + this.#relay.keepMs });
  }

  /** The row change an activity makes, if any. */
  #changeFor(activity: Activity): Omit<HistoryChange, 'keepUntil'> | undefined {
    switch (activity.type) {
      case 'call.created': {
        const { call, source, origin, scheduledFor, kind } = activity;
        const change = identity(call);
        if (kind) change.kind = kind;
        change.source = source;
        if (origin !== undefined) change.origin = origin.slice(0, 200);
        if (scheduledFor !== undefined) change.scheduledFor = scheduledFor;
        change.step = { state: call.state, at: call.createdAt };
        return change;
      }
      case 'call.dialled': {
        // Accepted, the call rings, whatever its record said while it was dialled (a booking's lease).
        if (activity.outcome !== 'accepted') return undefined;
        const change = identity(activity.call);
        change.state = 'initiated';
        change.dialledAt = activity.at;
        return change;
      }
      case 'call.changed':
        return changed(activity.before, activity.after, activity.at);
      case 'call.refused': {
        const { call, code, scope, source, origin, kind, at } = activity;
        return {
          ...identity(call),
          ...(kind && { kind }),
          state: 'refused',
          source,
          ...(origin !== undefined && { origin: origin.slice(0, 200) }),
          refusal: refusalReason(code, scope),
          endedAt: at,
          step: { state: 'refused', at },
        };
      }
      case 'history':
        return { ...activity.change };
      default:
        return undefined;
    }
  }
}

/**
 * What every write of a call's row says: who, when asked, and its state now. Built field
 * by field, as are the changes made from it: this runs twice for every call placed.
 */
function identity(call: CallRecord): Omit<HistoryChange, 'keepUntil'> {
  const change: Omit<HistoryChange, 'keepUntil'> = {
    id: call.callId,
    kind: call.state === 'scheduled' ? 'booking' : 'call',
    phone: call.phone,
    requestedAt: call.createdAt,
    state: call.state,
  };
  if (call.target !== undefined) change.target = call.target;
  return change;
}

/** A call's change as a row change: its new state and step, and what its report said. */
function changed(before: CallRecord, after: CallRecord, at: number): Omit<HistoryChange, 'keepUntil'> {
  const report = after.report !== before.report ? after.report : undefined;
  const recording = report?.recording_url;
  const statuses: Record<string, string> = {};
  for (const field of STATUS_FIELDS) {
    const value = report?.[field];
    if (typeof value === 'string' || typeof value === 'number') statuses[field] = String(value).slice(0, 64);
  }
  return {
    ...identity(after),
    ...(after.state !== before.state && { step: { state: after.state, at: after.updatedAt } }),
    ...(isFinalState(after.state) && { endedAt: after.updatedAt }),
    // Dialled at its slot (a booking), or booked again to redial.
    ...(before.state === 'scheduled' && after.state === 'initiated' && { dialledAt: after.updatedAt }),
    ...(before.state === 'initiated' &&
      after.state === 'scheduled' && { source: 'retry' as const, scheduledFor: after.dialAt }),
    ...(after.talkSeconds !== undefined && { talkSeconds: after.talkSeconds }),
    ...(report && { reportedAt: at, statuses }),
    // Only a web address is kept: the console links to it.
    ...(typeof recording === 'string' && /^https?:\/\//i.test(recording) && { recordingUrl: recording.slice(0, 2048) }),
  };
}
