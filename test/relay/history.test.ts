import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryCallStore } from '../../src/relay/index.js';
import { createTicket } from '../../src/relay/calls/tickets.js';
import { useRelay, TEST_BRIDGE, TEST_WEBHOOK_SECRET } from '../helpers/relay.js';
import { testClock } from './store-contract.js';

const AUTH = { Authorization: `Bearer ${TEST_WEBHOOK_SECRET}`, 'Content-Type': 'application/json' };
const TICKET_SECRET = 'ticket-secret-for-history-tests-0123456789';
const PAGE = 'http://shop.test';

let counter = 0;
const nextPhone = () => `+91 98765 1${String(++counter).padStart(4, '0')}`;

/** A relay on a memory store this suite can read, and its clock. */
function historyRelay(options: Record<string, unknown> = {}) {
  const clock = testClock(Date.now());
  const store = new MemoryCallStore({ now: clock.now });
  const fixture = useRelay(() => ({
    store,
    now: clock.now,
    ticketSecret: TICKET_SECRET,
    allowedOrigins: [PAGE],
    ...options,
  }));
  return { ...fixture, store, clock };
}

describe('the history of calls', () => {
  const { relay, upstream, store } = historyRelay();

  async function place(body: Record<string, unknown>, headers: Record<string, string> = { Origin: PAGE }) {
    const response = await relay.post('/calls', { target: 'sales', ...body }, headers);
    return { response, answer: await response.json() };
  }

  it('keeps a row for a placed call, from the request to its report', async () => {
    const { answer } = await place({ phone: nextPhone() });
    const row = await store.getHistory(answer.callId);
    assert.equal(row?.state, 'initiated');
    assert.equal(row?.source, 'page');
    assert.equal(row?.origin, PAGE);
    assert.equal(row?.target, 'sales');
    assert.equal(row?.phone, answer.phone, 'the masked number only');
    assert.ok(row?.dialledAt, 'dialled once Mobtexting accepted it');
    const sent = JSON.parse(upstream.requests.at(-1)!.body);
    const report = await relay.fetch(`${relay.url}/webhooks/mobtexting`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({
        bridge: TEST_BRIDGE,
        from: sent.from,
        to: sent.to,
        status: 'ANSWER',
        status1: 'ANSWER',
        status2: 'ANSWER',
        billing: '31',
        duration: '40',
        hangup_by: 'caller',
        recording_url: 'https://recordings.example/a.mp3',
        mid: answer.callId,
      }),
    });
    assert.equal(report.status, 200);
    const ended = await store.getHistory(answer.callId);
    assert.equal(ended?.state, 'completed');
    assert.equal(ended?.talkSeconds, 31);
    assert.equal(ended?.recordingUrl, 'https://recordings.example/a.mp3');
    assert.deepEqual(ended?.statuses, {
      status: 'ANSWER',
      status1: 'ANSWER',
      status2: 'ANSWER',
      hangup_by: 'caller',
      duration: '40',
      billing: '31',
    });
    assert.ok(ended?.reportedAt);
    assert.deepEqual(
      ended?.steps.map((s) => s.state),
      ['initiated', 'completed'],
    );
    assert.doesNotMatch(JSON.stringify(ended), new RegExp(sent.from), 'no full number in the row');
  });

  it('says a call came from a CRM ticket', async () => {
    const ticket = await createTicket({ secret: TICKET_SECRET, to: nextPhone(), label: 'Asha', target: 'sales' });
    const { answer } = await place({ ticket });
    const row = await store.getHistory(answer.callId);
    assert.equal(row?.source, 'ticket');
    assert.equal(row?.phone, 'Asha');
  });

  it('keeps a call Mobtexting refused as refused, with the reason', async () => {
    const saved = upstream.reply;
    upstream.reply = { status: 400, body: JSON.stringify({ status: 400, message: 'bad number' }) };
    try {
      const before = new Set((await store.queryHistory({ limit: 1000 })).rows.map((r) => r.id));
      const { response } = await place({ phone: nextPhone() });
      assert.equal(response.status, 422);
      const [row] = (await store.queryHistory({ state: 'refused', limit: 1000 })).rows.filter((r) => !before.has(r.id));
      assert.equal(row?.refusal, 'call_rejected');
      assert.equal(row?.target, 'sales');
    } finally {
      upstream.reply = saved;
    }
  });

  it('counts refusals of requests by reason, without a row each', async () => {
    const rows = (await store.queryHistory({ limit: 1000 })).rows.length;
    for (let i = 0; i < 3; i++) {
      const { response } = await place({ phone: nextPhone() }, { Origin: 'https://elsewhere.example' });
      assert.equal(response.status, 403);
    }
    const premium = await place({ phone: '+44 909 879 0000' });
    assert.equal(premium.response.status, 403);
    await relay.relay.sweep();
    assert.equal((await store.queryHistory({ limit: 1000 })).rows.length, rows, 'no row for these');
    const now = Date.now();
    const refusals = await store.refusalStats({
      from: now - 3600_000,
      to: now + 3600_000,
      bucketMs: 86_400_000,
      offsetMs: 0,
    });
    const count = (reason: string) => refusals.filter((r) => r.reason === reason).reduce((n, r) => n + r.count, 0);
    assert.equal(count('origin_not_allowed'), 3);
    assert.ok(
      refusals.some((r) => r.reason.startsWith('number_not_allowed:')),
      JSON.stringify(refusals),
    );
  });
});

describe('the history, by the relay’s settings', () => {
  describe('with historyDays 0', () => {
    const { relay, store } = historyRelay({ historyDays: 0 });
    it('keeps no row', async () => {
      const response = await relay.post('/calls', { phone: nextPhone(), target: 'sales' });
      const { callId } = await response.json();
      assert.equal(await store.getHistory(callId), undefined);
    });
  });

  describe('when the store fails to write a row', () => {
    const { relay, store } = historyRelay();
    it('still places the call, and says so in the log', async () => {
      store.recordHistory = async () => {
        throw new Error('disk on fire');
      };
      const response = await relay.post('/calls', { phone: nextPhone(), target: 'sales' });
      assert.equal(response.status, 202);
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(relay.logs.some((line) => line.event === 'history.write_failed'));
    });
  });

  describe('when a report never comes', () => {
    const { relay, store, clock } = historyRelay();
    it('keeps the call as unknown once the sweep gives it up', async () => {
      const response = await relay.post('/calls', { phone: nextPhone(), target: 'sales' });
      const { callId } = await response.json();
      clock.advance(24 * 3600_000);
      await relay.relay.sweep();
      const row = await store.getHistory(callId);
      assert.equal(row?.state, 'unknown');
      assert.equal(row?.endedAt, clock.now());
    });
  });
});
