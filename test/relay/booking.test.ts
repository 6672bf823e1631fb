import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Availability } from '../../src/protocol/index.js';
import { MemoryCallStore } from '../../src/relay/index.js';
import { useRelay } from '../helpers/relay.js';
import { FRIDAY_1130_IST, FRIDAY_1900_IST, iso, SCHEDULING_TARGETS } from '../helpers/scheduling.js';
import { openSse } from '../helpers/sse.js';

describe('business hours, slots and bookings', () => {
  let now = FRIDAY_1130_IST;
  const store = new MemoryCallStore({ now: () => now });
  const { relay, upstream } = useRelay({ store, now: () => now, targets: SCHEDULING_TARGETS }, { http: true });

  const availability = async (target = 'desk'): Promise<Availability> =>
    (await relay.fetch(`${relay.url}/targets/${target}/availability`)).json();
  const book = (phone: string, at: number | string, target = 'desk') =>
    relay.post('/calls', { phone, target, at: typeof at === 'string' ? at : iso(at) });
  const withdraw = (callId: string) => relay.fetch(`${relay.url}/calls/${callId}`, { method: 'DELETE' });
  const read = async (callId: string) => (await relay.fetch(`${relay.url}/calls/${callId}`)).json();

  it('answers availability: open, when it closes and opens next, and the free slots', async () => {
    now = FRIDAY_1130_IST + 10_000;
    const response = await relay.fetch(`${relay.url}/targets/desk/availability`);
    assert.equal(response.status, 200);
    const answer: Availability = await response.json();
    assert.equal(answer.target, 'desk');
    assert.equal(answer.open, true);
    assert.equal(answer.timezone, 'Asia/Kolkata');
    assert.equal(answer.closesAt, '2026-11-27T13:00:00.000Z', '18:30 in India');
    assert.equal(answer.opensAt, '2026-11-28T04:30:00.000Z', 'Saturday 10:00 in India');
    assert.deepEqual(answer.slots[0], { at: '2026-11-27T06:15:00.000Z', left: 2 });
    assert.equal(
      answer.slots.length,
      27 + 16,
      'Friday 11:45-18:15, Saturday 10:00-13:45; Sunday closed, Monday a holiday',
    );
  });

  it('answers availability for a target without hours: always open, no slots', async () => {
    assert.deepEqual(await availability('sales'), { target: 'sales', open: true, timezone: 'UTC', slots: [] });
    const unknown = await relay.fetch(`${relay.url}/targets/nobody/availability`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, 'unknown_target');
  });

  it('refuses a call now while closed, 409 target_closed saying when it opens, and holds nothing', async () => {
    now = FRIDAY_1900_IST;
    const before = upstream.requests.length;
    const refused = await relay.post('/calls', { phone: '+91 98111 50001', target: 'desk' });
    assert.equal(refused.status, 409);
    const { error } = await refused.json();
    assert.equal(error.code, 'target_closed');
    assert.equal(error.opensAt, '2026-11-28T04:30:00.000Z');
    assert.equal(upstream.requests.length, before, 'nothing dialled');
    assert.equal((await book('+91 98111 50001', Date.parse('2026-11-28T04:30:00Z'))).status, 202, 'number not held');
  });

  it('books a slot: 202 scheduled with its time; GET and the stream show it, nothing is dialled', async () => {
    now = FRIDAY_1900_IST;
    const before = upstream.requests.length;
    const slot = Date.parse('2026-11-28T04:45:00Z');
    const response = await book('+91 98111 50002', slot);
    assert.equal(response.status, 202);
    const booked = await response.json();
    assert.deepEqual(Object.keys(booked).sort(), ['at', 'callId', 'phone', 'state']);
    assert.equal(booked.state, 'scheduled');
    assert.equal(booked.at, iso(slot));
    assert.equal(booked.phone, '+91 98••• ••002');
    const seen = await read(booked.callId);
    assert.equal(seen.state, 'scheduled');
    assert.equal(seen.at, iso(slot));
    assert.equal(seen.retry, undefined, 'booked by the visitor, not a redial');
    const stream = await openSse(`${relay.url}/calls/${booked.callId}/events`);
    const [first] = await stream.states(1);
    assert.equal(JSON.parse(first!.data!).at, iso(slot));
    stream.close();
    assert.equal(upstream.requests.length, before);
  });

  it('books a slot with an offset time, as the widget may send it', async () => {
    now = FRIDAY_1900_IST;
    const response = await book('+91 98111 50003', '2026-11-28T10:30:00+05:30');
    assert.equal(response.status, 202);
    assert.equal((await response.json()).at, '2026-11-28T05:00:00.000Z');
  });

  it('takes at most perSlot bookings in a slot, however many arrive at once', async () => {
    now = FRIDAY_1900_IST;
    const slot = Date.parse('2026-11-28T05:15:00Z');
    const answers = await Promise.all(['50011', '50012', '50013', '50014'].map((n) => book(`+91 98111 ${n}`, slot)));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [202, 202, 409, 409]);
    const full = await answers.find((a) => a.status === 409)!.json();
    assert.equal(full.error.code, 'slot_full');
    assert.equal(full.error.field, 'at');
    const slots = (await availability()).slots;
    assert.ok(!slots.some((s) => s.at === iso(slot)), 'a full slot is not offered');
    assert.ok(
      slots.some((s) => s.at === iso(slot + 15 * 60_000)),
      'the next one is',
    );
  });

  it('counts a place as taken in the slot’s `left`', async () => {
    now = FRIDAY_1900_IST;
    const slot = Date.parse('2026-11-28T05:30:00Z');
    await book('+91 98111 50021', slot);
    assert.deepEqual(
      (await availability()).slots.find((s) => s.at === iso(slot)),
      { at: iso(slot), left: 1 },
    );
  });

  it('keeps one open booking or call per number', async () => {
    now = FRIDAY_1900_IST;
    assert.equal((await book('+91 98111 50031', Date.parse('2026-11-28T06:00:00Z'))).status, 202);
    const again = await book('+91 98111 50031', Date.parse('2026-11-28T06:15:00Z'));
    assert.equal(again.status, 409);
    assert.equal((await again.json()).error.code, 'call_in_progress');
    now = FRIDAY_1130_IST + 60_000;
    const call = await relay.post('/calls', { phone: '+91 98111 50031', target: 'desk' });
    assert.equal(call.status, 409, 'not a call now either, while a booking is open');
  });

  it('refuses a time that is not a slot on offer, naming the field', async () => {
    now = FRIDAY_1900_IST;
    for (const at of ['2026-11-28T04:40:00Z', '2026-11-29T05:00:00Z', '2026-12-01T05:00:00Z', '2026-11-27T13:00:00Z']) {
      const response = await book('+91 98111 50041', at);
      assert.equal(response.status, 400, at);
      const { error } = await response.json();
      assert.deepEqual([error.code, error.field], ['invalid_request', 'at'], at);
    }
    const bad = await book('+91 98111 50041', 'tomorrow at ten');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.field, 'at');
    const noSlots = await book('+91 98111 50041', '2026-11-28T05:00:00Z', 'sales');
    assert.equal(noSlots.status, 400);
    assert.match((await noSlots.json()).error.message, /does not book callbacks/);
  });

  it('withdraws a booking: 200 canceled, its place and its number free again, a repeat changes nothing', async () => {
    now = FRIDAY_1900_IST;
    const slot = Date.parse('2026-11-28T06:30:00Z');
    await book('+91 98111 50051', slot);
    const { callId } = await (await book('+91 98111 50052', slot)).json();
    const stream = await openSse(`${relay.url}/calls/${callId}/events`);
    const response = await withdraw(callId);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { callId, state: 'canceled' });
    const states = (await stream.states(2)).map((m) => JSON.parse(m.data!).state);
    assert.deepEqual(states, ['scheduled', 'canceled']);
    await stream.ended;
    assert.deepEqual((await availability()).slots.find((s) => s.at === iso(slot))?.left, 1, 'its place is free');
    assert.equal((await book('+91 98111 50052', slot)).status, 202, 'its number is free');
    assert.deepEqual(await (await withdraw(callId)).json(), { callId, state: 'canceled' });
    assert.equal((await withdraw('00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('does not withdraw a call that is ringing: 409 call_in_progress', async () => {
    now = FRIDAY_1130_IST + 120_000;
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 50061', target: 'desk' })).json();
    const response = await withdraw(callId);
    assert.equal(response.status, 409);
    assert.equal((await response.json()).error.code, 'call_in_progress');
    assert.equal((await read(callId)).state, 'initiated');
  });
});

describe('bookings and the rate limits', () => {
  const now = FRIDAY_1900_IST;
  const { relay } = useRelay({ now: () => now, targets: SCHEDULING_TARGETS, rateLimits: 'number=1/1h' });

  it('count a booking like a call', async () => {
    const booked = await relay.post('/calls', { phone: '+91 98111 50071', target: 'desk', at: '2026-11-28T04:30:00Z' });
    assert.equal(booked.status, 202);
    const { callId } = await booked.json();
    await relay.fetch(`${relay.url}/calls/${callId}`, { method: 'DELETE' });
    const again = await relay.post('/calls', { phone: '+91 98111 50071', target: 'desk', at: '2026-11-28T04:45:00Z' });
    assert.equal(again.status, 429, 'withdrawing gives no hit back');
    assert.equal((await again.json()).error.code, 'rate_limited');
  });
});

describe('availability under a flood', () => {
  const store = new MemoryCallStore({ now: () => FRIDAY_1900_IST });
  let reads = 0;
  const countSlots = store.countSlots.bind(store);
  store.countSlots = async (slots) => (
    reads++,
    await new Promise((resolve) => setTimeout(resolve, 20)),
    countSlots(slots)
  );
  const { relay } = useRelay({ store, now: () => FRIDAY_1900_IST, targets: SCHEDULING_TARGETS });

  it('reads the places taken once for requests that arrive together', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => relay.fetch(`${relay.url}/targets/desk/availability`)),
    );
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    assert.equal(reads, 1);
    await relay.fetch(`${relay.url}/targets/desk/availability`);
    assert.equal(reads, 2, 'a request after that reads again');
  });
});
