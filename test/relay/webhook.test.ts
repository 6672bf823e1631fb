import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { MemoryCallStore, type CallEndedReport } from '../../src/relay/index.js';
import { startRelay, useRelay, TEST_BRIDGE, TEST_WEBHOOK_SECRET } from '../helpers/relay.js';

const AUTH = { Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` };

/** The seed document's example body, word for word, with the redacted digits filled in. */
const documentBody = (from: string, to: string, bridge = TEST_BRIDGE) => `{
      "bridge": ${bridge},
      "from": ${from},
      "to": ${to},
      "source": "C2C",
      "start_at": "2021-04-09 16:27:39",
      "end_at": "2021-04-09 16:27:55",
      "date": "2021-04-09 16:27:55",
      "unixtime": "1653455555",
      "duration": "23",
      "billing": "23",
      "status": "COMPLETED",
      "status1": "RECEIVED",
      "status2": "ANSWER",
      "recording_url": "https://youraudiofilelocation/",
      "hangup_by": "caller"
}`;

describe('the Mobtexting webhook', () => {
  let store: MemoryCallStore;
  const ended: CallEndedReport[] = [];
  before(async () => {
    store = new MemoryCallStore();
  });
  const { relay, upstream } = useRelay(() => ({ store, onCallEnded: (report) => void ended.push(report) }));
  beforeEach(() => {
    ended.length = 0;
    relay.logs.length = 0;
  });

  let counter = 0;
  async function placeCall(target = 'sales') {
    const phone = `+91 98765 4${String(++counter).padStart(4, '0')}`;
    const response = await relay.post('/calls', { phone, target });
    assert.equal(response.status, 202);
    const { callId } = await response.json();
    const body = JSON.parse(upstream.requests.at(-1)!.body);
    return { callId, from: body.from as string, to: body.to as string };
  }
  const state = async (callId: string) => (await (await relay.fetch(`${relay.url}/calls/${callId}`)).json()).state;
  const hook = (body: string, headers: Record<string, string> = AUTH, query = '') =>
    relay.fetch(`${relay.url}/webhooks/mobtexting${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });

  it('refuses a report without the secret, and changes nothing', async () => {
    const call = await placeCall();
    for (const [headers, query] of [
      [{}, ''],
      [{ Authorization: 'Bearer wrong-secret' }, ''],
      [{ Authorization: `Basic ${TEST_WEBHOOK_SECRET}` }, ''],
      [{}, '?token=wrong'],
      [{ Authorization: `Bearer ${TEST_WEBHOOK_SECRET}x` }, ''],
    ] as const) {
      const response = await hook(documentBody(call.from, call.to), headers, query);
      assert.equal(response.status, 401);
      assert.equal((await response.json()).error.code, 'unauthorized');
    }
    assert.equal(await state(call.callId), 'initiated');
    assert.equal(ended.length, 0);
    await hook(documentBody(call.from, call.to), { 'X-Forwarded-For': '203.0.113.9' });
    const logged = relay.logs.filter((l) => l.event === 'webhook.unauthorized').at(-1);
    assert.equal(logged?.fields?.ip, '127.0.0.1', 'the address the relay sees, not one the sender claims');
  });

  it('accepts the secret as ?token= too', async () => {
    const call = await placeCall();
    const response = await hook(documentBody(call.from, call.to), {}, `?token=${TEST_WEBHOOK_SECRET}`);
    assert.equal(response.status, 200);
    assert.equal(await state(call.callId), 'completed');
  });

  it('answers the creation handshake with the challenge', async () => {
    const response = await hook(
      JSON.stringify({ validation_key: 'vk-1', challenge: 'c-123' }),
      {},
      `?token=${TEST_WEBHOOK_SECRET}`,
    );
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { challenge: 'c-123' });
    const refused = await hook(JSON.stringify({ validation_key: 'vk-1', challenge: 'c-123' }), {}, '?token=nope');
    assert.equal(refused.status, 401);
  });

  it('takes the document’s example body as printed and ends the call it names', async () => {
    const call = await placeCall();
    const response = await hook(documentBody(call.from, call.to));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { received: true, callId: call.callId, state: 'completed' });
    const publicCall = await (await relay.fetch(`${relay.url}/calls/${call.callId}`)).json();
    assert.equal(publicCall.state, 'completed');
    assert.equal(publicCall.talkSeconds, 23);
    assert.doesNotMatch(JSON.stringify(publicCall), /youraudiofilelocation|recording/);
    const stored = await store.getCall(call.callId);
    assert.equal(stored!.report!.recording_url, 'https://youraudiofilelocation/');
    assert.equal(stored!.report!.status1, 'RECEIVED', 'raw values are kept server-side');
  });

  it('hands the full report, recording URL included, to onCallEnded', async () => {
    const call = await placeCall();
    await hook(documentBody(call.from, call.to));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ended.length, 1);
    assert.deepEqual(
      { ...ended[0], report: undefined },
      {
        callId: call.callId,
        target: 'sales',
        state: 'completed',
        from: call.from,
        to: call.to,
        bridge: TEST_BRIDGE,
        talkSeconds: 23,
        recordingUrl: 'https://youraudiofilelocation/',
        report: undefined,
      },
    );
    assert.equal(ended[0]!.report!.hangup_by, 'caller');
  });

  it('ends a call whose report arrives before Mobtexting has even answered the request', async () => {
    let relayUrl = '';
    const early = await startRelay({
      apiBase: 'http://mobtexting.invalid/api/v2/',
      // Mobtexting's report, for a call that failed at once, overtakes its answer.
      fetch: async (_url, init) => {
        const sent = JSON.parse(String(init!.body));
        const report = {
          bridge: sent.bridge,
          from: sent.from,
          to: sent.to,
          status: 'CHANUNAVAIL',
          status1: 'CHANUNAVAIL',
          status2: '',
        };
        const delivered = await fetch(`${relayUrl}/webhooks/mobtexting`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...AUTH },
          body: JSON.stringify(report),
        });
        assert.equal(delivered.status, 200);
        return new Response(JSON.stringify({ status: 200, message: 'ok' }), {
          headers: { 'Content-Type': 'application/json' },
        });
      },
    });
    relayUrl = early.url;
    try {
      const { callId } = await (await early.post('/calls', { phone: '+91 98765 48001', target: 'sales' })).json();
      assert.equal((await (await early.fetch(`${early.url}/calls/${callId}`)).json()).state, 'unreachable');
      assert.equal(
        (await early.post('/calls', { phone: '+91 98765 48001', target: 'sales' })).status,
        202,
        'the number is free again',
      );
    } finally {
      await early.close();
    }
  });

  it('counts the talk time from the second leg, whichever leg the visitor is', async () => {
    const call = await placeCall('support');
    await hook(
      JSON.stringify({
        bridge: TEST_BRIDGE,
        from: call.from,
        to: call.to,
        status: 'COMPLETED',
        status1: 'ANSWER',
        status2: 'ANSWER',
        duration: '95',
        billing: '80',
      }),
    );
    assert.equal((await (await relay.fetch(`${relay.url}/calls/${call.callId}`)).json()).talkSeconds, 80);
  });

  it('maps by leg role when the agent is rung first', async () => {
    const call = await placeCall('support');
    const body = JSON.stringify({
      bridge: Number(TEST_BRIDGE),
      from: Number(call.from),
      to: Number(call.to),
      status: 'BUSY',
      status1: 'ANSWER',
      status2: 'BUSY',
    });
    await hook(body);
    assert.equal(await state(call.callId), 'busy');
    const other = await placeCall('support');
    await hook(
      JSON.stringify({
        bridge: Number(TEST_BRIDGE),
        from: Number(other.from),
        to: Number(other.to),
        status: 'NOANSWER',
        status1: 'NOANSWER',
        status2: '',
      }),
    );
    assert.equal(await state(other.callId), 'agent-unavailable');
  });

  it('ties a report without an id to the open call with the same legs', async () => {
    const call = await placeCall();
    const other = await placeCall();
    await hook(
      JSON.stringify({
        bridge: TEST_BRIDGE,
        from: call.from,
        to: call.to,
        status: 'BUSY',
        status1: 'BUSY',
        status2: '',
      }),
    );
    assert.equal(await state(call.callId), 'busy');
    assert.equal(await state(other.callId), 'initiated');
  });

  it('uses mid when the report carries it', async () => {
    const call = await placeCall();
    const response = await hook(
      JSON.stringify({
        bridge: TEST_BRIDGE,
        from: call.from,
        to: call.to,
        mid: call.callId,
        status: 'NOANSWER',
        status1: 'NOANSWER',
        status2: '',
      }),
    );
    assert.equal((await response.json()).callId, call.callId);
    assert.equal(await state(call.callId), 'no-answer');
  });

  it('changes nothing on a repeated delivery', async () => {
    const call = await placeCall();
    const first = await hook(documentBody(call.from, call.to));
    const again = await hook(documentBody(call.from, call.to));
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { received: true, duplicate: true });
    assert.equal((await store.readEvents(call.callId)).length, 2, 'initiated and completed, once each');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ended.length, 1);
    assert.equal(store.orphanReports().length, 0);
  });

  it('keeps a report for no known call and answers 202', async () => {
    const before = store.orphanReports().length;
    const response = await hook(documentBody('919999999999', '918046000100'));
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { received: true, matched: false });
    assert.equal(store.orphanReports().length, before + 1);
    assert.equal(store.orphanReports().at(-1)!.report.from, 919999999999);
    assert.ok(relay.logs.some((l) => l.event === 'webhook.orphan'));
  });

  it('accepts a form-encoded report', async () => {
    const call = await placeCall();
    const form = new URLSearchParams({
      bridge: TEST_BRIDGE,
      from: call.from,
      to: call.to,
      status: 'CANCEL',
      status1: 'CANCEL',
      status2: '',
    });
    const response = await relay.fetch(`${relay.url}/webhooks/mobtexting`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...AUTH },
      body: form.toString(),
    });
    assert.equal(response.status, 200);
    assert.equal(await state(call.callId), 'canceled');
  });

  it('answers 400 to malformed reports, logs them, and keeps serving', async () => {
    const bodies = [
      '{"bridge": ',
      '[]',
      '"text"',
      JSON.stringify({ from: 'x', to: 1, bridge: 1 }),
      JSON.stringify({ bridge: TEST_BRIDGE, from: '919876543210' }),
      JSON.stringify({ bridge: {}, from: [], to: null }),
    ];
    for (const body of bodies) {
      const response = await hook(body);
      assert.equal(response.status, 400, body);
      assert.match((await response.json()).error.code, /^invalid_(json|request)$/);
    }
    assert.ok(relay.logs.filter((l) => l.event === 'webhook.malformed').length >= 4);
    assert.equal((await relay.fetch(`${relay.url}/health`)).status, 200);
  });

  it('never logs the webhook secret', () => {
    assert.ok(!JSON.stringify(relay.logs).includes(TEST_WEBHOOK_SECRET));
  });
});
