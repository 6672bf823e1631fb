import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useRelay } from '../helpers/relay.js';

interface Case {
  name: string;
  body: unknown;
  status: number;
  code: string;
  field?: string;
  contentType?: string;
}

const JSON_TYPE = 'application/json';

const CASES: Case[] = [
  { name: 'a body that is not JSON', body: '{"phone": ', status: 400, code: 'invalid_json' },
  { name: 'a JSON array', body: '[1,2]', status: 400, code: 'invalid_request' },
  { name: 'a JSON string', body: '"+919876543210"', status: 400, code: 'invalid_request' },
  {
    name: 'form data',
    body: 'phone=%2B919876543210',
    status: 415,
    code: 'unsupported_media_type',
    contentType: 'application/x-www-form-urlencoded',
  },
  { name: 'no phone', body: { target: 'sales' }, status: 400, code: 'invalid_request', field: 'phone' },
  {
    name: 'a numeric phone',
    body: { phone: 919876543210, target: 'sales' },
    status: 400,
    code: 'invalid_request',
    field: 'phone',
  },
  {
    name: 'a numeric target',
    body: { phone: '+919876543210', target: 7 },
    status: 400,
    code: 'invalid_request',
    field: 'target',
  },
  {
    name: 'variables as a list',
    body: { phone: '+919876543210', target: 'otp-ivr', variables: ['Asha'] },
    status: 400,
    code: 'invalid_request',
    field: 'variables',
  },
  {
    name: 'a variable the target does not declare',
    body: { phone: '+919876543210', target: 'otp-ivr', variables: { amount: '10' } },
    status: 400,
    code: 'invalid_request',
    field: 'variables.amount',
  },
  {
    name: 'a variable on a target without any',
    body: { phone: '+919876543210', target: 'sales', variables: { Name: 'A' } },
    status: 400,
    code: 'invalid_request',
    field: 'variables.Name',
  },
  {
    name: 'an injected "to"',
    body: { phone: '+919876543210', target: 'sales', to: '919000000000' },
    status: 400,
    code: 'invalid_request',
    field: 'to',
  },
  {
    name: 'an injected "bridge"',
    body: { phone: '+919876543210', target: 'sales', bridge: '919000000000' },
    status: 400,
    code: 'invalid_request',
    field: 'bridge',
  },
  {
    name: 'an injected "record"',
    body: { phone: '+919876543210', target: 'sales', record: '1' },
    status: 400,
    code: 'invalid_request',
    field: 'record',
  },
  {
    name: 'an unknown target',
    body: { phone: '+919876543210', target: 'billing' },
    status: 404,
    code: 'unknown_target',
    field: 'target',
  },
  {
    name: 'a prototype key as target',
    body: { phone: '+919876543210', target: 'constructor' },
    status: 404,
    code: 'unknown_target',
    field: 'target',
  },
  {
    name: 'no target where several exist',
    body: { phone: '+919876543210' },
    status: 400,
    code: 'invalid_request',
    field: 'target',
  },
  {
    name: 'letters for a number',
    body: { phone: 'call me maybe', target: 'sales' },
    status: 422,
    code: 'invalid_phone',
    field: 'phone',
  },
  {
    name: 'a too-short number',
    body: { phone: '+91 98765', target: 'sales' },
    status: 422,
    code: 'invalid_phone',
    field: 'phone',
  },
  {
    name: 'an impossible number',
    body: { phone: '+91 55555 55555', target: 'sales' },
    status: 422,
    code: 'invalid_phone',
    field: 'phone',
  },
  {
    name: 'a number with an extension',
    body: { phone: '+91 98765 43210 ext 5', target: 'sales' },
    status: 422,
    code: 'invalid_phone',
    field: 'phone',
  },
  {
    name: 'a foreign mobile',
    body: { phone: '+971 50 123 4567', target: 'sales' },
    status: 422,
    code: 'country_not_allowed',
    field: 'phone',
  },
  {
    name: 'a premium-rate number',
    body: { phone: '+44 909 879 0000', target: 'sales' },
    status: 403,
    code: 'number_not_allowed',
    field: 'phone',
  },
  {
    name: 'an Indian toll-free number',
    body: { phone: '+91 1800 123 4567', target: 'sales' },
    status: 403,
    code: 'number_not_allowed',
    field: 'phone',
  },
  {
    name: 'a shared-cost number',
    body: { phone: '+91 1860 123 4567', target: 'sales' },
    status: 403,
    code: 'number_not_allowed',
    field: 'phone',
  },
  {
    name: 'a universal access number',
    body: { phone: '+91 140 123 4567', target: 'sales' },
    status: 403,
    code: 'number_not_allowed',
    field: 'phone',
  },
  {
    name: 'the business’s own number',
    body: { phone: '+91 80 4600 0100', target: 'sales' },
    status: 403,
    code: 'number_not_allowed',
    field: 'phone',
  },
  {
    name: 'another target’s number',
    body: { phone: '+91 80 4600 0200', target: 'sales' },
    status: 403,
    code: 'number_not_allowed',
    field: 'phone',
  },
  {
    name: 'no consent where the target needs it',
    body: { phone: '+919876543210', target: 'consented' },
    status: 400,
    code: 'invalid_request',
    field: 'consent',
  },
  {
    name: 'consent as a string',
    body: { phone: '+919876543210', target: 'consented', consent: 'yes' },
    status: 400,
    code: 'invalid_request',
    field: 'consent',
  },
];

describe('requests the relay refuses', () => {
  const { relay, upstream } = useRelay();

  for (const c of CASES) {
    it(`refuses ${c.name} with ${c.status} ${c.code}, calling no one`, async () => {
      const response = await relay.post('/calls', c.body, { 'Content-Type': c.contentType ?? JSON_TYPE });
      const body = await response.json();
      assert.equal(response.status, c.status, JSON.stringify(body));
      assert.equal(response.headers.get('content-type'), 'application/json');
      assert.equal(body.error.code, c.code);
      assert.equal(typeof body.error.message, 'string');
      assert.ok(body.error.message.length > 10, 'a sentence, not a code');
      if (c.field) assert.equal(body.error.field, c.field);
      assert.equal(upstream.requests.length, 0);
    });
  }

  it('still places a call after all of them', async () => {
    const response = await relay.post('/calls', { phone: '+919876543210', target: 'sales' });
    assert.equal(response.status, 202);
    assert.equal(upstream.requests.length, 1);
  });

  it('accepts a consented call', async () => {
    const response = await relay.post('/calls', { phone: '+919876543219', target: 'consented', consent: true });
    assert.equal(response.status, 202);
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const response = await relay.fetch(`${relay.url}/nowhere`);
    assert.equal(response.status, 404);
    assert.deepEqual(Object.keys((await response.json()).error).sort(), ['code', 'message']);
  });
});
