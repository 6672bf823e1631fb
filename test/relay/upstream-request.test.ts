import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { startFakeUpstream } from '../helpers/http.js';
import { createTestRelay, useRelay, TEST_BRIDGE, TEST_TOKEN } from '../helpers/relay.js';

// The seed document's request, field by field: POST {endpoint}voice/c2c, Bearer token,
// JSON with bridge/from/to as digits with country code, record "0"/"1", flat variables.
describe('the request the relay sends to Mobtexting', () => {
  const { relay, upstream } = useRelay({ webhookId: 'wh_42' });
  beforeEach(() => {
    upstream.requests.length = 0;
  });

  it('calls the visitor first for a number target, with every documented field', async () => {
    const response = await relay.post('/calls', { phone: '+91 98765 43210', target: 'sales' });
    assert.equal(response.status, 202, await response.clone().text());
    const answer = await response.json();
    assert.equal(upstream.requests.length, 1);
    const [request] = upstream.requests;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.url, '/api/v2/voice/c2c');
    assert.equal(request!.headers.authorization, `Bearer ${TEST_TOKEN}`);
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers.accept, 'application/json');
    assert.deepEqual(JSON.parse(request!.body), {
      bridge: TEST_BRIDGE,
      from: '919876543210',
      to: '918046000100',
      mid: answer.callId,
      webhook_id: 'wh_42',
      record: '1',
      duration: '15',
      attempts: '2',
    });
  });

  it('sends an IVR flow with flat variables[Name] keys and record "0"', async () => {
    const response = await relay.post('/calls', {
      phone: '9876543211',
      target: 'otp-ivr',
      variables: { Name: 'Asha', otp: '12344' },
    });
    assert.equal(response.status, 202);
    assert.deepEqual(JSON.parse(upstream.requests[0]!.body), {
      bridge: TEST_BRIDGE,
      from: '919876543211',
      to: 'flow:220',
      mid: (await response.json()).callId,
      webhook_id: 'wh_42',
      record: '0',
      'variables[Name]': 'Asha',
      'variables[otp]': '12344',
    });
  });

  it('rings the agent first when the target says so', async () => {
    const response = await relay.post('/calls', { phone: '098765 43212', target: 'support' });
    assert.equal(response.status, 202);
    const body = JSON.parse(upstream.requests[0]!.body);
    assert.equal(body.from, '918046000200');
    assert.equal(body.to, '919876543212');
  });

  it('answers 202 with its own unguessable call id and the masked number', async () => {
    const first = await (await relay.post('/calls', { phone: '+919876543213', target: 'sales' })).json();
    const second = await (await relay.post('/calls', { phone: '+919876543214', target: 'sales' })).json();
    assert.match(first.callId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(first.callId, second.callId);
    assert.notEqual(first.callId, '26074c32-b316-4ffa-99d7-9f6a99da56d6', 'not Mobtexting’s id');
    assert.deepEqual(first, { callId: first.callId, state: 'initiated', phone: '+91 98••• ••213' });
  });

  it('accepts the older answer without callId', async () => {
    upstream.reply = { status: 200, body: JSON.stringify({ status: 200, message: 'Call initiated successfully' }) };
    try {
      const response = await relay.post('/calls', { phone: '+919876543215', target: 'sales' });
      assert.equal(response.status, 202);
      assert.equal((await response.json()).state, 'initiated');
    } finally {
      upstream.reply = { status: 200, body: JSON.stringify({ callId: 'x', status: 200, message: 'ok' }) };
    }
  });

  it('shows the new call at GET /calls/:callId with the number masked', async () => {
    const { callId } = await (await relay.post('/calls', { phone: '+919876543216', target: 'sales' })).json();
    const response = await relay.fetch(`${relay.url}/calls/${callId}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const call = await response.json();
    assert.equal(call.callId, callId);
    assert.equal(call.state, 'initiated');
    assert.equal(call.phone, '+91 98••• ••216');
    assert.equal(call.target, 'sales');
    assert.doesNotMatch(JSON.stringify(call), /9876543216|918046000100|recording/);
  });

  it('answers 404 unknown_call for an id it never gave', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', '..%2F..%2Fhealth']) {
      const response = await relay.fetch(`${relay.url}/calls/${id}`);
      assert.equal(response.status, 404);
      assert.equal((await response.json()).error.code, 'unknown_call');
    }
  });
});

describe('the country of a national number', () => {
  it('reads a number without + as a number of the request’s country', async () => {
    const upstream = await startFakeUpstream();
    const relay = createTestRelay({ apiBase: upstream.apiBase, allowedCountries: ['IN', 'AE'] });
    try {
      const response = await relay.post('/calls', { phone: '050 123 4567', country: 'ae', target: 'sales' });
      assert.equal(response.status, 202);
      assert.equal(JSON.parse(upstream.requests[0]!.body).from, '971501234567');
      const unknown = await relay.post('/calls', { phone: '050 123 4567', country: 'XX', target: 'sales' });
      assert.equal(unknown.status, 400);
      assert.equal((await unknown.json()).error.field, 'country');
    } finally {
      await relay.close();
      await upstream.close();
    }
  });
});
