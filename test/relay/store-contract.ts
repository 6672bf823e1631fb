import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallEnding, CallEvent, CallRecord } from '../../src/relay/calls/record.js';
import type { CallStore } from '../../src/relay/store/roles.js';
import { historyStoreContract } from './history-contract.js';
import { verificationStoreContract } from './verification-store-contract.js';

/** A clock the contract moves by hand. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.parse('2026-11-26T10:00:00Z')): TestClock {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

let serial = 0;

/** A call record with fresh ids and numbers. */
export function sampleCall(clock: TestClock, overrides: Partial<CallRecord> = {}): CallRecord {
  serial++;
  const id = `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`;
  return {
    callId: id,
    state: 'initiated',
    version: 1,
    target: 'sales',
    bridge: '918046000000',
    from: `9198${String(10_000_000 + serial).slice(-8)}`,
    to: '918046000100',
    visitorLeg: 'from',
    claimedNumber: `9198${String(10_000_000 + serial).slice(-8)}`,
    phone: '+91 98••• ••000',
    createdAt: clock.now(),
    updatedAt: clock.now(),
    expiresAt: clock.now() + 20 * 60_000,
    ...overrides,
  };
}

/** Saves a new call, due when its report is overdue. */
export function create(store: CallStore, call: CallRecord): Promise<void> {
  return store.createCall(call, call.expiresAt);
}

/**
 * Ends a call as the lifecycle would: the next version in its final state, its event, no
 * due time, its number released. Answers the call as ended, or `undefined` when the store
 * refused the change (the call changed first, or is gone).
 */
export async function finish(store: CallStore, call: CallRecord, ending: CallEnding): Promise<CallRecord | undefined> {
  const ended: CallRecord = {
    ...call,
    version: call.version + 1,
    state: ending.state,
    updatedAt: ending.at,
    ...(ending.talkSeconds !== undefined && { talkSeconds: ending.talkSeconds }),
    ...(ending.report !== undefined && { report: ending.report }),
  };
  const applied = await store.updateCall({
    call: ended,
    event: {
      state: ended.state,
      at: ended.updatedAt,
      ...(ended.talkSeconds !== undefined && { talkSeconds: ended.talkSeconds }),
    },
    dueAt: undefined,
    release: call.claimedNumber,
  });
  return applied ? ended : undefined;
}

/**
 * What every call store must do, whatever keeps the data: the same suite runs against
 * each implementation.
 */
export function callStoreContract(name: string, make: (clock: TestClock) => Promise<CallStore>): void {
  describe(`${name}: the call store contract`, () => {
    const clock = testClock();
    let store: CallStore;
    before(async () => {
      store = await make(clock);
    });
    after(async () => {
      await store.close();
    });

    it('keeps a call and its first event', async () => {
      const call = sampleCall(clock);
      await create(store, call);
      assert.deepEqual(await store.getCall(call.callId), call);
      const events = await store.readEvents(call.callId);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.state, 'initiated');
      assert.equal(events[0]!.at, call.createdAt);
      assert.equal(await store.getCall('00000000-0000-4000-8000-999999999999'), undefined);
    });

    it('ends a call once, appending its event, and tells subscribers', async () => {
      const call = sampleCall(clock);
      await create(store, call);
      const heard: CallEvent[] = [];
      const unsubscribe = store.subscribe(call.callId, (event) => heard.push(event));
      const ended = await finish(store, call, {
        state: 'busy',
        at: clock.now() + 1000,
        report: { status: 'BUSY' },
        talkSeconds: 0,
      });
      assert.equal(ended?.state, 'busy');
      assert.equal(ended?.updatedAt, clock.now() + 1000);
      assert.deepEqual(ended?.report, { status: 'BUSY' });
      assert.equal(
        await finish(store, call, { state: 'completed', at: clock.now() }),
        undefined,
        'a second change decided on the same version changes nothing',
      );
      assert.equal((await store.getCall(call.callId))?.state, 'busy');
      await waitFor(() => heard.some((event) => event.state === 'busy'));
      unsubscribe();
      const events = await store.readEvents(call.callId);
      assert.deepEqual(
        events.map((e) => e.state),
        ['initiated', 'busy'],
      );
      assert.deepEqual(await store.readEvents(call.callId, events[0]!.id), [events[1]]);
      assert.deepEqual(await store.readEvents(call.callId, events[1]!.id), []);
    });

    it('finds the open call with given legs, and forgets it once ended', async () => {
      const call = sampleCall(clock);
      await create(store, call);
      assert.equal((await store.findOpenCall(call))?.callId, call.callId);
      assert.equal(await store.findOpenCall({ ...call, to: '918046000999' }), undefined);
      await finish(store, call, { state: 'completed', at: clock.now() });
      assert.equal(await store.findOpenCall(call), undefined);
    });

    it('finds the newest of the open calls with the same legs, as a report without an id is matched', async () => {
      const older = sampleCall(clock);
      await create(store, older);
      clock.advance(1000);
      const newer = sampleCall(clock, { from: older.from, claimedNumber: older.claimedNumber });
      await create(store, newer);
      assert.equal((await store.findOpenCall(older))?.callId, newer.callId);
      await finish(store, newer, { state: 'completed', at: clock.now() });
      assert.equal((await store.findOpenCall(older))?.callId, older.callId, 'then the older one, still open');
    });

    it('discards a call that was never placed, leaving nothing of it', async () => {
      const call = sampleCall(clock, { expiresAt: clock.now() + 1000 });
      await create(store, call);
      await store.discardCall(call.callId);
      assert.equal(await store.getCall(call.callId), undefined);
      assert.deepEqual(await store.readEvents(call.callId), []);
      assert.equal(await store.findOpenCall(call), undefined);
      assert.ok(!(await store.dueCalls(clock.now() + 2000, 1000)).includes(call.callId));
      await store.discardCall(call.callId);
    });

    it('lists open calls that are due, earliest first', async () => {
      const due = sampleCall(clock, { expiresAt: clock.now() + 1000 });
      const later = sampleCall(clock, { expiresAt: clock.now() + 60 * 60_000 });
      await create(store, due);
      await create(store, later);
      const overdue = await store.dueCalls(clock.now() + 2000, 1000);
      assert.ok(overdue.includes(due.callId));
      assert.ok(!overdue.includes(later.callId));
      await finish(store, due, { state: 'completed', at: clock.now() });
      assert.ok(!(await store.dueCalls(clock.now() + 2000, 1000)).includes(due.callId), 'an ended call is not due');
    });

    it('moves a call’s due time with a change that has no event', async () => {
      const call = sampleCall(clock, { expiresAt: clock.now() + 1000 });
      await create(store, call);
      const later = { ...call, version: 2, expiresAt: clock.now() + 60 * 60_000 };
      assert.equal(await store.updateCall({ call: later, dueAt: later.expiresAt }), true);
      assert.ok(!(await store.dueCalls(clock.now() + 2000, 1000)).includes(call.callId));
      assert.equal((await store.readEvents(call.callId)).length, 1, 'no event for a change of state it did not make');
      assert.equal((await store.findOpenCall(call))?.version, 2, 'still open');
    });

    it('keeps every field of a record and of its events, a booked call’s included', async () => {
      const dialAt = clock.now() + 3600_000;
      const call = sampleCall(clock, {
        state: 'scheduled',
        dialAt,
        slot: `sales|${dialAt}`,
        variables: { Name: 'Asha' },
        expiresAt: dialAt + 30 * 60_000,
      });
      await store.createCall(call, dialAt);
      assert.deepEqual(await store.getCall(call.callId), call);
      const [booked] = await store.readEvents(call.callId);
      assert.deepEqual({ ...booked, id: undefined }, { id: undefined, state: 'scheduled', at: call.createdAt, dialAt });
      const leased: CallRecord = { ...call, version: 2, lease: { at: dialAt, until: dialAt + 40_000 } };
      assert.equal(await store.updateCall({ call: leased, dueAt: dialAt + 40_000 }), true);
      assert.deepEqual(await store.getCall(call.callId), leased, 'a change without an event keeps every field too');
      const redial: CallRecord = {
        ...call,
        version: 3,
        dialAt: dialAt + 600_000,
        retry: { reason: 'agent-unavailable', attempt: 1 },
      };
      const event = { state: 'scheduled' as const, at: dialAt + 1, dialAt: dialAt + 600_000, retry: redial.retry };
      const appended = await store.updateCall({ call: redial, event, dueAt: redial.dialAt });
      assert.ok(typeof appended === 'object', 'an event was appended');
      assert.deepEqual({ ...appended, id: undefined }, { ...event, id: undefined });
      assert.deepEqual((await store.readEvents(call.callId, booked!.id))[0], appended);
    });

    it('hands out a booked call when its time comes, not before, and not while its lease runs', async () => {
      const dialAt = clock.now() + 3600_000;
      const call = sampleCall(clock, { state: 'scheduled', dialAt, expiresAt: dialAt + 30 * 60_000 });
      await store.createCall(call, dialAt);
      assert.ok(!(await store.dueCalls(dialAt - 1, 1000)).includes(call.callId));
      assert.ok((await store.dueCalls(dialAt, 1000)).includes(call.callId));
      assert.equal((await store.findOpenCall(call))?.callId, call.callId, 'a booked call is open');
      const leased: CallRecord = { ...call, version: 2, lease: { at: dialAt, until: dialAt + 40_000 } };
      assert.equal(await store.updateCall({ call: leased, dueAt: dialAt + 40_000 }), true);
      assert.ok(!(await store.dueCalls(dialAt + 39_999, 1000)).includes(call.callId), 'not while leased');
      assert.ok((await store.dueCalls(dialAt + 40_000, 1000)).includes(call.callId), 'due again once it lapsed');
    });

    it('applies only one of several changes decided at once on the same version', async () => {
      const dialAt = clock.now() + 3600_000;
      const call = sampleCall(clock, { state: 'scheduled', dialAt, expiresAt: dialAt + 30 * 60_000 });
      await store.createCall(call, dialAt);
      const takes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.updateCall({
            call: { ...call, version: 2, lease: { at: dialAt + i, until: dialAt + 40_000 } },
            dueAt: dialAt + 40_000,
          }),
        ),
      );
      assert.equal(takes.filter(Boolean).length, 1, 'one instance, only, takes a booking on');
    });

    it('takes at most a slot’s capacity of places, however many ask at once', async () => {
      const slot = `sales|capacity-${serial++}`;
      const until = clock.now() + 60_000;
      const taken = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.reserveSlot(slot, `call-${i}`, 3, until)),
      );
      assert.equal(taken.filter(Boolean).length, 3);
      assert.deepEqual(await store.countSlots([slot, `${slot}-other`]), [3, 0]);
      assert.deepEqual(await store.countSlots([]), []);
    });

    it('keeps one place per call, given back by that call only', async () => {
      const slot = `sales|own-${serial++}`;
      const until = clock.now() + 60_000;
      assert.equal(await store.reserveSlot(slot, 'a', 1, until), true);
      assert.equal(await store.reserveSlot(slot, 'a', 1, until), true, 'a call holding a place keeps it');
      assert.equal(await store.reserveSlot(slot, 'b', 1, until), false);
      await store.releaseSlot(slot, 'b');
      assert.deepEqual(await store.countSlots([slot]), [1], 'a call holding none gives nothing back');
      await store.releaseSlot(slot, 'a');
      assert.deepEqual(await store.countSlots([slot]), [0]);
      assert.equal(await store.reserveSlot(slot, 'b', 1, until), true);
    });

    it('lets a slot’s place lapse at its time', async () => {
      const slot = `sales|lapse-${serial++}`;
      assert.equal(await store.reserveSlot(slot, 'a', 1, clock.now() + 1000), true);
      clock.advance(1000);
      assert.deepEqual(await store.countSlots([slot]), [0]);
      assert.equal(await store.reserveSlot(slot, 'b', 1, clock.now() + 1000), true);
    });

    it('takes back a refunded hit', async () => {
      const rules = [{ key: `address:refund-${serial++}`, limit: 1, windowMs: 60_000 }];
      const t0 = clock.now();
      assert.deepEqual(await store.consumeLimits(rules, t0), { ok: true });
      assert.equal((await store.consumeLimits(rules, t0 + 1)).ok, false);
      await store.refundLimits(rules, t0);
      assert.deepEqual(await store.consumeLimits(rules, t0 + 2), { ok: true });
      await store.refundLimits(rules, t0 + 999);
      assert.equal(
        (await store.consumeLimits(rules, t0 + 3)).ok,
        false,
        'a refund for a time with no hit takes nothing',
      );
    });

    it('claims a number for one call at a time, until that call ends', async () => {
      const call = sampleCall(clock);
      assert.equal(await store.claimNumber(call.from, call.callId, call.expiresAt), undefined);
      assert.equal(await store.claimNumber(call.from, 'someone-else', call.expiresAt), call.callId);
      await create(store, call);
      await finish(store, call, { state: 'completed', at: clock.now() });
      assert.equal(await store.claimNumber(call.from, 'next', call.expiresAt), undefined, 'free once the call ended');
      await store.releaseNumber(call.from, 'not-the-holder');
      assert.equal(await store.claimNumber(call.from, 'third', call.expiresAt), 'next');
      await store.releaseNumber(call.from, 'next');
      assert.equal(await store.claimNumber(call.from, 'third', call.expiresAt), undefined);
    });

    it('lets a number’s claim lapse at its time', async () => {
      const number = '919800000001';
      assert.equal(await store.claimNumber(number, 'a', clock.now() + 1000), undefined);
      clock.advance(1000);
      assert.equal(await store.claimNumber(number, 'b', clock.now() + 1000), undefined);
    });

    it('counts hits in a sliding window, all rules or none', async () => {
      const rules = [
        { key: `ip:${serial}`, limit: 2, windowMs: 60_000 },
        { key: `global:${serial}`, limit: 3, windowMs: 60_000 },
      ];
      const t0 = clock.now();
      assert.deepEqual(await store.consumeLimits(rules, t0), { ok: true });
      assert.deepEqual(await store.consumeLimits(rules, t0 + 10_000), { ok: true });
      assert.deepEqual(await store.consumeLimits(rules, t0 + 20_000), {
        ok: false,
        key: rules[0]!.key,
        retryAfterMs: 40_000,
      });
      assert.deepEqual(
        await store.consumeLimits([rules[1]!], t0 + 20_000),
        { ok: true },
        'the refused hit was not counted',
      );
      assert.deepEqual(await store.consumeLimits([rules[1]!], t0 + 30_000), {
        ok: false,
        key: rules[1]!.key,
        retryAfterMs: 30_000,
      });
      assert.deepEqual(await store.consumeLimits(rules, t0 + 60_000), { ok: true }, 'the first hits left the window');
      assert.deepEqual(await store.consumeLimits(rules, t0 + 65_000), {
        ok: false,
        key: rules[0]!.key,
        retryAfterMs: 5_000,
      });
      assert.deepEqual(await store.consumeLimits(rules, t0 + 70_001), { ok: true });
    });

    it('remembers an idempotency key: pending, then its answer, a conflict for another body', async () => {
      const key = `key-${serial++}`;
      assert.deepEqual(await store.beginIdempotent(key, 'body-a', 60_000), { state: 'new' });
      assert.deepEqual(await store.beginIdempotent(key, 'body-a', 60_000), { state: 'pending' });
      await store.completeIdempotent(key, { status: 202, body: { callId: 'x' } }, 60_000);
      assert.deepEqual(await store.beginIdempotent(key, 'body-a', 60_000), {
        state: 'done',
        answer: { status: 202, body: { callId: 'x' } },
      });
      assert.deepEqual(await store.beginIdempotent(key, 'body-b', 60_000), { state: 'conflict' });
      await store.abandonIdempotent(key);
      assert.deepEqual(await store.beginIdempotent(key, 'body-b', 60_000), { state: 'new' });
      clock.advance(60_001);
      assert.deepEqual(await store.beginIdempotent(key, 'body-c', 60_000), { state: 'new' }, 'keys expire');
    });

    it('claims a report once, until released or expired', async () => {
      const fingerprint = `report-${serial++}`;
      assert.equal(await store.claimOnce('report', fingerprint, 60_000), true);
      assert.equal(await store.claimOnce('report', fingerprint, 60_000), false);
      await store.releaseOnce('report', fingerprint);
      assert.equal(await store.claimOnce('report', fingerprint, 60_000), true);
      clock.advance(60_001);
      assert.equal(await store.claimOnce('report', fingerprint, 60_000), true);
    });

    it('keeps each kind of once-only claim apart', async () => {
      const key = `shared-${serial++}`;
      assert.equal(await store.claimOnce('report', key, 60_000), true);
      assert.equal(await store.claimOnce('ticket', key, 60_000), true, 'a report does not use up a ticket');
      await store.releaseOnce('report', key);
      assert.equal(await store.claimOnce('ticket', key, 60_000), false, 'nor does releasing one free the other');
    });

    it('keeps orphan reports', async () => {
      await store.saveOrphanReport({ from: 1 }, clock.now());
    });

    verificationStoreContract(() => store, clock);
  });
  historyStoreContract(name, make);
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), 'timed out');
}
