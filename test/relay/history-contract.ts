import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  keepsHistory,
  keepsSessions,
  type CallHistory,
  type ConsoleSessions,
  type HistoryChange,
} from '../../src/relay/store/history.js';
import type { CallStore } from '../../src/relay/store/roles.js';
import type { TestClock } from './store-contract.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let serial = 0;

/** A target name of its own, so that each test reads only its own rows in a shared store. */
const ownTarget = () => `t${++serial}-${Math.random().toString(36).slice(2, 8)}`;

/** A history change for a new call, requested at `at`. */
function requested(at: number, target: string, overrides: Partial<HistoryChange> = {}): HistoryChange {
  serial++;
  return {
    id: `00000000-0000-4000-9000-${String(serial).padStart(12, '0')}`,
    kind: 'call',
    source: 'page',
    target,
    phone: '+91 98••• ••123',
    requestedAt: at,
    state: 'initiated',
    keepUntil: at + 90 * DAY,
    step: { state: 'initiated', at },
    ...overrides,
  };
}

/**
 * What every store's history must do (the console's rows, chart counts, refusal counts
 * and sessions): run by the call store contract for each store.
 */
export function historyStoreContract(name: string, make: (clock: TestClock) => Promise<CallStore>): void {
  describe(`${name}: the history contract`, () => {
    const clock = { now: () => start, advance: (ms: number) => (start += ms) } as TestClock;
    let start = Date.parse('2026-11-26T10:00:00Z');
    let store: CallStore & CallHistory & ConsoleSessions;
    before(async () => {
      const made = await make(clock);
      assert.ok(keepsHistory(made) && keepsSessions(made), 'the store keeps history and sessions');
      store = made as typeof store;
    });
    after(async () => {
      await store.close();
    });

    it('makes a row and reads it back; an unknown id has none', async () => {
      const change = requested(clock.now(), ownTarget(), { origin: 'https://shop.example' });
      await store.recordHistory(change);
      const { step, ...fields } = change;
      assert.deepEqual(await store.getHistory(change.id), { ...fields, steps: [step] });
      assert.equal(await store.getHistory('00000000-0000-4000-9000-999999999999'), undefined);
    });

    it('merges changes: later fields win, identity and a final state stay, steps come once and in order', async () => {
      const at = clock.now();
      const first = requested(at, ownTarget(), { source: 'ticket' });
      await store.recordHistory(first);
      const ended = {
        ...first,
        source: undefined,
        kind: 'booking' as const,
        phone: 'changed',
        requestedAt: at + 5,
        state: 'completed' as const,
        reportedAt: at + 60_000,
        talkSeconds: 42,
        statuses: { status: 'ANSWER', status1: 'ANSWER', status2: 'ANSWER' },
        recordingUrl: 'https://recordings.example/1.mp3',
        keepUntil: first.keepUntil + DAY,
        step: { state: 'completed' as const, at: at + 60_000 },
      };
      await store.recordHistory(ended);
      // A late write of an earlier step: it must not reopen the call nor repeat a step.
      await store.recordHistory({ ...first, keepUntil: first.keepUntil, dialledAt: at + 900, step: first.step });
      await store.recordHistory({ ...first, step: { state: 'initiated', at: at + 1 } });
      const row = await store.getHistory(first.id);
      assert.equal(row?.state, 'completed');
      assert.equal(row?.kind, 'call', 'kind is kept from the first write');
      assert.equal(row?.phone, first.phone);
      assert.equal(row?.requestedAt, at);
      assert.equal(row?.source, 'ticket', 'a change without a source keeps it');
      assert.equal(row?.dialledAt, at + 900);
      assert.equal(row?.talkSeconds, 42);
      assert.equal(row?.recordingUrl, 'https://recordings.example/1.mp3');
      assert.deepEqual(row?.statuses, ended.statuses);
      assert.equal(row?.keepUntil, first.keepUntil + DAY, 'the later keep-until stays');
      assert.deepEqual(row?.steps, [
        { state: 'initiated', at },
        { state: 'initiated', at: at + 1 },
        { state: 'completed', at: at + 60_000 },
      ]);
    });

    it('makes a row whose source was not said a page’s', async () => {
      const change = requested(clock.now(), ownTarget());
      delete change.source;
      await store.recordHistory(change);
      assert.equal((await store.getHistory(change.id))?.source, 'page');
    });

    it('pages rows newest first, then by id, from a cursor on', async () => {
      const target = ownTarget();
      const at = clock.now();
      const changes = [0, 1, 2, 2, 3].map((minutes) => requested(at + minutes * 60_000, target));
      for (const change of changes) await store.recordHistory(change);
      const expected = [...changes]
        .sort((a, b) => b.requestedAt - a.requestedAt || (a.id < b.id ? 1 : -1))
        .map((c) => c.id);
      const first = await store.queryHistory({ target, limit: 2 });
      assert.deepEqual(
        first.rows.map((r) => r.id),
        expected.slice(0, 2),
      );
      assert.ok(first.next);
      const second = await store.queryHistory({ target, limit: 2, after: first.next });
      assert.deepEqual(
        second.rows.map((r) => r.id),
        expected.slice(2, 4),
      );
      const third = await store.queryHistory({ target, limit: 2, after: second.next });
      assert.deepEqual(
        third.rows.map((r) => r.id),
        expected.slice(4),
      );
      assert.equal(third.next, undefined, 'the last page says so');
    });

    it('filters by time range, target, state, source and kind, alone or together', async () => {
      const target = ownTarget();
      const other = ownTarget();
      const at = clock.now() + 10 * DAY;
      const a = requested(at, target, { state: 'completed', source: 'page' });
      const b = requested(at + HOUR, target, { state: 'busy', source: 'ticket' });
      const c = requested(at + 2 * HOUR, target, { state: 'completed', source: 'booking', kind: 'booking' });
      const d = requested(at + HOUR, other, { state: 'completed', source: 'page' });
      for (const change of [a, b, c, d]) await store.recordHistory(change);
      const ids = async (filter: Parameters<CallHistory['queryHistory']>[0]) =>
        (await store.queryHistory(filter)).rows.map((r) => r.id).sort();
      assert.deepEqual(await ids({ target, limit: 10 }), [a.id, b.id, c.id].sort());
      assert.deepEqual(await ids({ from: at + HOUR, to: at + 2 * HOUR, limit: 10 }), [b.id, d.id].sort());
      assert.deepEqual(await ids({ target, state: 'completed', limit: 10 }), [a.id, c.id].sort());
      assert.deepEqual(
        await ids({ state: 'completed', from: at, to: at + 3 * HOUR, limit: 10 }),
        [a.id, c.id, d.id].sort(),
      );
      assert.deepEqual(await ids({ target, source: 'ticket', limit: 10 }), [b.id]);
      assert.deepEqual(await ids({ source: 'booking', from: at, limit: 10 }), [c.id]);
      assert.deepEqual(await ids({ kind: 'booking', target, limit: 10 }), [c.id]);
      assert.deepEqual(await ids({ target, state: 'completed', source: 'page', from: at, to: at + 1, limit: 10 }), [
        a.id,
      ]);
    });

    it('moves a row between states in the indexes as it changes', async () => {
      const target = ownTarget();
      const change = requested(clock.now(), target, { state: 'scheduled', kind: 'booking', source: 'booking' });
      await store.recordHistory(change);
      const scheduled = async () => (await store.queryHistory({ state: 'scheduled', target, limit: 10 })).rows;
      assert.equal((await scheduled()).length, 1);
      await store.recordHistory({ ...change, state: 'canceled', step: { state: 'canceled', at: clock.now() + 1 } });
      assert.equal((await scheduled()).length, 0);
      assert.equal((await store.queryHistory({ state: 'canceled', target, limit: 10 })).rows.length, 1);
    });

    it('counts rows for charts by bucket and state now, with times to report, in the time zone asked', async () => {
      const target = ownTarget();
      // 18:20 and 18:40 UTC: the same UTC hour, two hours in India (+05:30): 23:50 and 00:10 the next day.
      const day = Date.parse('2026-12-01T00:00:00Z') + (serial % 50) * DAY;
      const early = requested(day + 18 * HOUR + 20 * 60_000, target);
      const late = requested(day + 18 * HOUR + 40 * 60_000, target);
      const busy = requested(day + 18 * HOUR + 41 * 60_000, target, { state: 'busy' });
      for (const change of [early, late, busy]) await store.recordHistory(change);
      await store.recordHistory({ ...early, state: 'completed', reportedAt: early.requestedAt + 30_000 });
      await store.recordHistory({ ...late, state: 'completed', reportedAt: late.requestedAt + 90_000 });
      const range = { from: day, to: day + DAY, target };
      const utc = await store.historyStats({ ...range, bucketMs: HOUR, offsetMs: 0 });
      assert.deepEqual(utc, [
        { at: day + 18 * HOUR, state: 'busy', count: 1, reportCount: 0, reportMsSum: 0 },
        { at: day + 18 * HOUR, state: 'completed', count: 2, reportCount: 2, reportMsSum: 120_000 },
      ]);
      const india = 330 * 60_000;
      const days = await store.historyStats({ ...range, bucketMs: DAY, offsetMs: india });
      assert.deepEqual(days, [
        { at: day - india, state: 'completed', count: 1, reportCount: 1, reportMsSum: 30_000 },
        { at: day + DAY - india, state: 'busy', count: 1, reportCount: 0, reportMsSum: 0 },
        { at: day + DAY - india, state: 'completed', count: 1, reportCount: 1, reportMsSum: 90_000 },
      ]);
      assert.deepEqual(await store.historyStats({ ...range, target: ownTarget(), bucketMs: DAY, offsetMs: 0 }), []);
    });

    it('adds refusal counts up by reason and bucket', async () => {
      const day = Date.parse('2027-03-01T00:00:00Z') + (serial % 50) * DAY;
      const keepUntil = day + 90 * DAY;
      await store.countRefusals([
        { reason: 'rate_limited:address', at: day + 10 * 60_000, count: 3, keepUntil },
        { reason: 'origin_not_allowed', at: day + 20 * 60_000, count: 1, keepUntil },
      ]);
      await store.countRefusals([{ reason: 'rate_limited:address', at: day + 50 * 60_000, count: 2, keepUntil }]);
      assert.deepEqual(await store.refusalStats({ from: day, to: day + DAY, bucketMs: HOUR, offsetMs: 0 }), [
        { at: day, reason: 'origin_not_allowed', count: 1 },
        { at: day, reason: 'rate_limited:address', count: 5 },
      ]);
    });

    it('forgets rows past their keep-until', async () => {
      const target = ownTarget();
      const change = requested(clock.now(), target, { keepUntil: clock.now() + 1000 });
      await store.recordHistory(change);
      assert.ok(await store.getHistory(change.id));
      clock.advance(1000);
      assert.equal(await store.getHistory(change.id), undefined);
      assert.deepEqual((await store.queryHistory({ target, limit: 10 })).rows, []);
    });

    it('keeps a session until it is deleted or expires', async () => {
      const session = { csrf: 'c'.repeat(43), createdAt: clock.now(), expiresAt: clock.now() + 60_000 };
      await store.saveSession('hash-1', session);
      await store.saveSession('hash-2', session);
      assert.deepEqual(await store.getSession('hash-1'), session);
      await store.deleteSession('hash-1');
      assert.equal(await store.getSession('hash-1'), undefined);
      assert.equal(await store.getSession('unknown'), undefined);
      clock.advance(60_000);
      assert.equal(await store.getSession('hash-2'), undefined, 'expired');
    });
  });
}
