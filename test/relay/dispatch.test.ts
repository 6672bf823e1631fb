import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryCallStore, type CallEndedReport } from '../../src/relay/index.js';
import type { UpstreamTransport } from '../../src/relay/upstream/transport.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/index.js';
import { createTestRelay, TEST_TOKEN, TEST_WEBHOOK_SECRET, useRelay } from '../helpers/relay.js';
import {
  ANSWERED,
  deskReport,
  FRIDAY_1130_IST,
  FRIDAY_1900_IST,
  iso,
  NOBODY_AT_THE_DESK,
  SCHEDULING_TARGETS,
} from '../helpers/scheduling.js';
import { openSse } from '../helpers/sse.js';
import { until } from '../helpers/wait.js';
import { after, before } from 'node:test';

/** Saturday 28 November 2026, 10:00 in India: the desk's first slot after Friday evening. */
const SATURDAY_1000_IST = Date.parse('2026-11-28T04:30:00Z');

describe('the dispatcher', () => {
  let now = FRIDAY_1900_IST;
  const ended: CallEndedReport[] = [];
  const store = new MemoryCallStore({ now: () => now });
  const { relay, upstream } = useRelay(
    { store, now: () => now, targets: SCHEDULING_TARGETS, onCallEnded: (r) => void ended.push(r) },
    { http: true },
  );

  /** The callIds Mobtexting was asked to dial, in order. */
  const dialled = () => upstream.requests.map((r) => JSON.parse(r.body).mid as string);
  const book = async (phone: string, at: number) => {
    const response = await relay.post('/calls', { phone, target: 'desk', at: iso(at) });
    assert.equal(response.status, 202);
    return (await response.json()).callId as string;
  };
  const read = async (callId: string) => (await relay.fetch(`${relay.url}/calls/${callId}`)).json();
  const report = (digits: string, statuses: typeof ANSWERED, mid?: string) =>
    relay.fetch(`${relay.url}/webhooks/mobtexting`, deskReport(digits, statuses, mid));

  it('dials a booking once, at its time, and its stream shows scheduled, initiated, then the outcome', async () => {
    now = FRIDAY_1900_IST;
    const callId = await book('+91 98111 60001', SATURDAY_1000_IST);
    const stream = await openSse(`${relay.url}/calls/${callId}/events`);
    now = SATURDAY_1000_IST - 1;
    await relay.relay.sweep();
    assert.ok(!dialled().includes(callId), 'not before its time');
    now = SATURDAY_1000_IST;
    assert.equal(await relay.relay.sweep(), 1);
    assert.deepEqual(
      dialled().filter((id) => id === callId),
      [callId],
    );
    await relay.relay.sweep();
    assert.equal(dialled().filter((id) => id === callId).length, 1, 'once');
    assert.equal((await read(callId)).state, 'initiated');
    await report('919811160001', ANSWERED, callId);
    const states = (await stream.states(3)).map((m) => JSON.parse(m.data!));
    assert.deepEqual(
      states.map((s) => s.state),
      ['scheduled', 'initiated', 'completed'],
    );
    assert.equal(states[0].at, iso(SATURDAY_1000_IST));
    await stream.ended;
    assert.equal((await read(callId)).state, 'completed', 'also after the page reloads');
  });

  it('dials with the legs, the variables and the target’s settings the booking was made with', async () => {
    now = FRIDAY_1900_IST;
    const at = SATURDAY_1000_IST + 15 * 60_000;
    const booked = await relay.post('/calls', {
      phone: '+91 98111 60002',
      target: 'desk',
      at: iso(at),
      variables: { Name: 'Asha' },
    });
    const { callId } = await booked.json();
    now = at;
    await relay.relay.sweep();
    const body = JSON.parse(upstream.requests.find((r) => JSON.parse(r.body).mid === callId)!.body);
    assert.deepEqual(
      [body.from, body.to, body.duration, body['variables[Name]']],
      ['919811160002', '918046000400', '15', 'Asha'],
    );
    assert.equal((await read(callId)).variables, undefined, 'the variables stay on the server');
  });

  it('dials a booking whose time passed while no relay ran, if it is late by less than the grace', async () => {
    now = FRIDAY_1900_IST;
    const at = SATURDAY_1000_IST + 30 * 60_000;
    const callId = await book('+91 98111 60003', at);
    now = at + 9 * 60_000;
    await relay.relay.sweep();
    assert.ok(dialled().includes(callId));
  });

  it('ends a booking missed when it is later than the grace: nothing dialled, its number free', async () => {
    now = FRIDAY_1900_IST;
    const at = SATURDAY_1000_IST + 45 * 60_000;
    const callId = await book('+91 98111 60004', at);
    now = at + 10 * 60_000 + 1;
    assert.equal(await relay.relay.sweep(), 1);
    assert.equal((await read(callId)).state, 'missed');
    assert.ok(!dialled().includes(callId));
    await until(() => ended.some((r) => r.callId === callId), 'the hook');
    assert.equal(ended.find((r) => r.callId === callId)!.state, 'missed');
    now = FRIDAY_1130_IST; // the desk is open: a call now to the same number may start
    assert.equal((await relay.post('/calls', { phone: '+91 98111 60004', target: 'desk' })).status, 202);
  });

  it('redials once after the outcome retry names, ten minutes later, and the page is told when', async () => {
    now = FRIDAY_1130_IST + 5 * 60_000;
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 60005', target: 'desk' })).json();
    const stream = await openSse(`${relay.url}/calls/${callId}/events`);
    await report('919811160005', NOBODY_AT_THE_DESK, callId);
    const redial = await read(callId);
    assert.equal(redial.state, 'scheduled');
    assert.equal(redial.at, iso(now + 10 * 60_000));
    assert.deepEqual(redial.retry, { reason: 'agent-unavailable', attempt: 1 });
    assert.ok(!ended.some((r) => r.callId === callId), 'the call goes on: not ended');
    const another = await relay.post('/calls', { phone: '+91 98111 60005', target: 'desk' });
    assert.equal(another.status, 409, 'the number stays held for the redial');
    await report('919811160005', ANSWERED, callId);
    assert.equal((await read(callId)).state, 'scheduled', 'a late report of the first attempt changes nothing');
    now += 10 * 60_000;
    await relay.relay.sweep();
    assert.equal(dialled().filter((id) => id === callId).length, 2, 'dialled again');
    await report('919811160005', NOBODY_AT_THE_DESK, callId);
    assert.equal((await read(callId)).state, 'agent-unavailable', 'max 1: the second outcome stands');
    const states = (await stream.states(4)).map((m) => JSON.parse(m.data!));
    assert.deepEqual(
      states.map((s) => [s.state, s.retry?.reason]),
      [
        ['initiated', undefined],
        ['scheduled', 'agent-unavailable'],
        ['initiated', undefined],
        ['agent-unavailable', undefined],
      ],
    );
    await stream.ended;
  });

  it('redials inside hours: after closing, at the next opening', async () => {
    now = Date.parse('2026-11-27T12:55:00Z'); // Friday 18:25 in India
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 60006', target: 'desk' })).json();
    now += 60_000;
    await report('919811160006', NOBODY_AT_THE_DESK, callId);
    assert.equal((await read(callId)).at, iso(SATURDAY_1000_IST), 'Saturday 10:00, not Friday 18:36');
  });

  it('does not redial after an outcome retry does not name', async () => {
    now = FRIDAY_1130_IST + 7 * 60_000;
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 60007', target: 'desk' })).json();
    await report('919811160007', { status: 'BUSY', status1: 'BUSY', status2: '' }, callId);
    assert.equal((await read(callId)).state, 'busy');
  });

  it('ends a booking the provider refused outright as failed', async () => {
    now = FRIDAY_1900_IST;
    const at = SATURDAY_1000_IST + 60 * 60_000;
    const callId = await book('+91 98111 60008', at);
    upstream.reply = { status: 422, body: JSON.stringify({ status: 422, message: 'The to field is invalid.' }) };
    try {
      now = at;
      await relay.relay.sweep();
    } finally {
      upstream.reply = { status: 200, body: JSON.stringify({ status: 200, message: 'ok' }) };
    }
    assert.equal((await read(callId)).state, 'failed');
  });

  it('tries a booking again, within the grace, when the provider refused it for the moment', async () => {
    now = FRIDAY_1900_IST;
    const at = SATURDAY_1000_IST + 75 * 60_000;
    const callId = await book('+91 98111 60009', at);
    upstream.reply = { status: 429, body: '{"status":429,"message":"Too many"}', headers: { 'Retry-After': '30' } };
    try {
      now = at;
      await relay.relay.sweep();
    } finally {
      upstream.reply = { status: 200, body: JSON.stringify({ status: 200, message: 'ok' }) };
    }
    assert.equal((await read(callId)).state, 'scheduled');
    now = at + 29_000;
    await relay.relay.sweep();
    assert.equal(dialled().filter((id) => id === callId).length, 1, 'not before the provider said');
    now = at + 30_000;
    await relay.relay.sweep();
    assert.equal(dialled().filter((id) => id === callId).length, 2);
    assert.equal((await read(callId)).state, 'initiated');
  });
});

describe('the dispatcher, when an instance goes away mid-dial', () => {
  it('never dials twice: another instance follows the call as ringing once the lease lapsed', async () => {
    let now = FRIDAY_1900_IST;
    const store = new MemoryCallStore({ now: () => now });
    const options = { store, now: () => now, targets: SCHEDULING_TARGETS, upstreamTimeoutMs: 5000 };
    // Instance A sends the dial and is never heard of again (it hangs, as a dying process would).
    const sentByA: string[] = [];
    const hang: UpstreamTransport = (request) => {
      sentByA.push(JSON.parse(request.body).mid);
      return new Promise(() => {});
    };
    const a = createTestRelay({ ...options, apiBase: 'http://a.invalid/api/v2/', transport: hang });
    const sentByB: string[] = [];
    const accept: UpstreamTransport = async (request) => {
      sentByB.push(JSON.parse(request.body).mid);
      return { status: 200, retryAfter: null, text: '{"status":200,"message":"ok"}' };
    };
    const b = createTestRelay({ ...options, apiBase: 'http://b.invalid/api/v2/', transport: accept });
    try {
      const booked = await b.post('/calls', { phone: '+91 98111 60101', target: 'desk', at: iso(SATURDAY_1000_IST) });
      const { callId } = await booked.json();
      now = SATURDAY_1000_IST;
      void a.relay.sweep();
      await until(() => sentByA.length === 1, 'A dialling');
      const withdrawal = await b.fetch(`${b.url}/calls/${callId}`, { method: 'DELETE' });
      assert.equal(withdrawal.status, 409, 'being dialled: too late to withdraw');
      assert.equal(await b.relay.sweep(), 0, 'B leaves it to A while the lease runs');
      now += 5000 + 30_000; // the provider's time-out and the margin
      assert.equal(await b.relay.sweep(), 1);
      assert.deepEqual(sentByB, [], 'B did not dial it again');
      const call = await (await b.fetch(`${b.url}/calls/${callId}`)).json();
      assert.equal(call.state, 'initiated', 'it may have rung: followed to its report');
      assert.ok(b.logs.some((l) => l.event === 'call.dial_lapsed'));
      now += 15 * 60_000 + 5 * 60_000;
      await b.relay.sweep();
      assert.equal((await (await b.fetch(`${b.url}/calls/${callId}`)).json()).state, 'unknown', 'no report came');
    } finally {
      await b.close();
      await a.close().catch(() => {});
    }
  });
});

describe('the sandbox, serving bookings like calls', () => {
  let sandbox: SandboxServer;
  let webhookUrl = '';
  let now = FRIDAY_1900_IST;
  before(async () => {
    sandbox = await startSandboxServer({
      token: TEST_TOKEN,
      webhookSecret: TEST_WEBHOOK_SECRET,
      webhookUrl: () => webhookUrl,
      delayMs: 50,
    });
  });
  after(async () => sandbox.close());
  const { relay } = useRelay(() => ({ apiBase: sandbox.apiBase, now: () => now, targets: SCHEDULING_TARGETS }), {
    http: true,
  });

  it('reports a booked call after it is dialled, as it would a call placed now', async () => {
    webhookUrl = `${relay.url}/webhooks/mobtexting`;
    const { callId } = await (
      await relay.post('/calls', { phone: '+91 98765 40001', target: 'desk', at: iso(SATURDAY_1000_IST) })
    ).json();
    const stream = await openSse(`${relay.url}/calls/${callId}/events`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(sandbox.sandbox.requests.length, 0, 'nothing before the slot');
    now = SATURDAY_1000_IST;
    await relay.relay.sweep();
    const states = (await stream.states(3)).map((m) => JSON.parse(m.data!).state);
    assert.deepEqual(states, ['scheduled', 'initiated', 'busy'], 'the test number …0001 is busy');
  });
});
