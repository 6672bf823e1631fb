import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawRequest } from '../helpers/raw-http.js';
import { useRelay, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/relay.js';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const GOOD = { phone: '+91 98765 43210', target: 'sales' };

interface Hostile {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  chunks?: string[];
  status: number;
  code: string;
}

const json = (value: unknown) => JSON.stringify(value);
const withPhone = (phone: string) => json({ ...GOOD, phone });
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const HOSTILE: Hostile[] = [
  // Malformed bodies
  { name: 'truncated JSON', body: '{"phone": "+91', status: 400, code: 'invalid_json' },
  { name: 'JSON with trailing garbage', body: `${json(GOOD)}}`, status: 400, code: 'invalid_json' },
  { name: 'an empty body', body: '', status: 400, code: 'invalid_json' },
  { name: 'JSON null', body: 'null', status: 400, code: 'invalid_request' },
  { name: 'a bare number', body: '919876543210', status: 400, code: 'invalid_request' },
  { name: 'arrays nested 1,500 deep', body: nested(1500), status: 400, code: 'invalid_request' },
  {
    name: 'objects nested in variables',
    body: json({ ...GOOD, target: 'otp-ivr', variables: { Name: { a: { b: { c: {} } } } } }),
    status: 400,
    code: 'invalid_request',
  },
  { name: 'a 3,000-character phone', body: withPhone('9'.repeat(3000)), status: 400, code: 'invalid_request' },
  {
    name: 'a 300-character variable',
    body: json({ ...GOOD, target: 'otp-ivr', variables: { Name: 'x'.repeat(300) } }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a variable with a line break',
    body: json({ ...GOOD, target: 'otp-ivr', variables: { Name: 'Asha\nINJECTED' } }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a numeric variable',
    body: json({ ...GOOD, target: 'otp-ivr', variables: { Name: 7 } }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a __proto__ key',
    body: '{"__proto__": {"admin": true}, "phone": "+91 98765 43210", "target": "sales"}',
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a target that looks like a path',
    body: json({ ...GOOD, target: '../admin' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'consent as the string "true"',
    body: json({ ...GOOD, target: 'consented', consent: 'true' }),
    status: 400,
    code: 'invalid_request',
  },
  // Sizes and types
  { name: 'a body over 4 KB', body: json({ ...GOOD, pad: 'x'.repeat(5000) }), status: 413, code: 'body_too_large' },
  {
    name: 'a chunked body over 4 KB',
    chunks: ['{"phone":"', '9'.repeat(3000), '9'.repeat(3000), '"}'],
    status: 413,
    code: 'body_too_large',
  },
  { name: 'a chunked body that is not JSON', chunks: ['{"phone":', '"+91'], status: 400, code: 'invalid_json' },
  {
    name: 'text/plain',
    headers: { 'Content-Type': 'text/plain' },
    body: json(GOOD),
    status: 415,
    code: 'unsupported_media_type',
  },
  { name: 'no Content-Type', headers: {}, body: json(GOOD), status: 415, code: 'unsupported_media_type' },
  {
    name: 'a form post',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'phone=%2B919876543210&target=sales',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'multipart',
    headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
    body: '--x\r\n\r\n--x--',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON in Latin-1',
    headers: { 'Content-Type': 'application/json; charset=latin1' },
    body: json(GOOD),
    status: 415,
    code: 'unsupported_media_type',
  },
  // Numbers
  { name: 'Devanagari digits', body: withPhone('+91 ९८७६५ ४३२१०'), status: 422, code: 'invalid_phone' },
  { name: 'full-width digits', body: withPhone('+91９８７６５４３２１０'), status: 422, code: 'invalid_phone' },
  { name: '+0', body: withPhone('+0'), status: 422, code: 'invalid_phone' },
  { name: 'a short code', body: withPhone('121'), status: 422, code: 'invalid_phone' },
  { name: 'the emergency number', body: withPhone('112'), status: 422, code: 'invalid_phone' },
  { name: 'a number with a NUL byte', body: withPhone('+91 98765\u000043210'), status: 422, code: 'invalid_phone' },
  {
    name: 'a number with a right-to-left override',
    body: withPhone('+91 \u202e98765 43210'),
    status: 422,
    code: 'invalid_phone',
  },
  { name: 'a number with an extension', body: withPhone('+91 98765 43210;ext=99'), status: 422, code: 'invalid_phone' },
  { name: 'a UK premium-rate number', body: withPhone('+44 909 879 0000'), status: 403, code: 'number_not_allowed' },
  { name: 'a US premium-rate number', body: withPhone('+1 900 555 0123'), status: 403, code: 'number_not_allowed' },
  {
    name: 'an Indian shared-cost number',
    body: withPhone('+91 1860 123 4567'),
    status: 403,
    code: 'number_not_allowed',
  },
  {
    name: 'an Indian universal access number',
    body: withPhone('+91 140 123 4567'),
    status: 403,
    code: 'number_not_allowed',
  },
  { name: 'an Indian toll-free number', body: withPhone('1800 123 4567'), status: 403, code: 'number_not_allowed' },
  { name: 'a foreign mobile', body: withPhone('+971 50 123 4567'), status: 422, code: 'country_not_allowed' },
  { name: 'the bridge itself', body: withPhone('+91 80 4600 0000'), status: 403, code: 'number_not_allowed' },
  // Injected fields
  { name: 'an injected "to"', body: json({ ...GOOD, to: '919000000000' }), status: 400, code: 'invalid_request' },
  { name: 'an injected "from"', body: json({ ...GOOD, from: '919000000000' }), status: 400, code: 'invalid_request' },
  {
    name: 'an injected "bridge"',
    body: json({ ...GOOD, bridge: '919000000000' }),
    status: 400,
    code: 'invalid_request',
  },
  { name: 'an injected "record"', body: json({ ...GOOD, record: '1' }), status: 400, code: 'invalid_request' },
  {
    name: 'an injected "webhook_id"',
    body: json({ ...GOOD, webhook_id: 'mine' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an injected flat variable',
    body: json({ ...GOOD, 'variables[Name]': 'x' }),
    status: 400,
    code: 'invalid_request',
  },
  // Origins
  {
    name: 'a foreign Origin',
    headers: { ...JSON_TYPE, Origin: 'https://evil.example' },
    body: json(GOOD),
    status: 403,
    code: 'origin_not_allowed',
  },
  {
    name: 'Origin null (a sandboxed frame)',
    headers: { ...JSON_TYPE, Origin: 'null' },
    body: json(GOOD),
    status: 403,
    code: 'origin_not_allowed',
  },
  {
    name: 'a look-alike Origin',
    headers: { ...JSON_TYPE, Origin: 'https://shop.example.evil.example' },
    body: json(GOOD),
    status: 403,
    code: 'origin_not_allowed',
  },
  {
    name: 'a preflight from a foreign Origin',
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    status: 403,
    code: 'origin_not_allowed',
  },
  {
    name: 'an event stream read from a foreign Origin',
    method: 'GET',
    path: '/calls/00000000-0000-4000-8000-000000000000/events',
    headers: { Origin: 'https://evil.example' },
    status: 403,
    code: 'origin_not_allowed',
  },
  // Idempotency keys
  {
    name: 'an Idempotency-Key with spaces',
    headers: { ...JSON_TYPE, 'Idempotency-Key': 'a b' },
    body: json(GOOD),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a 200-character Idempotency-Key',
    headers: { ...JSON_TYPE, 'Idempotency-Key': 'k'.repeat(200) },
    body: json(GOOD),
    status: 400,
    code: 'invalid_request',
  },
  // Forged webhooks
  {
    name: 'a webhook without its secret',
    path: '/webhooks/mobtexting',
    body: json({ bridge: 918046000000, from: 919876543210, to: 918046000100, status: 'COMPLETED' }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a webhook with a wrong secret',
    path: '/webhooks/mobtexting',
    headers: { ...JSON_TYPE, Authorization: 'Bearer guess' },
    body: '{}',
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a webhook with the API token instead',
    path: '/webhooks/mobtexting',
    headers: { ...JSON_TYPE, Authorization: `Bearer ${TEST_TOKEN}` },
    body: '{}',
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a webhook with a wrong ?token=',
    path: '/webhooks/mobtexting?token=guess',
    body: '{}',
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'an authenticated webhook over 16 KB',
    path: '/webhooks/mobtexting',
    headers: { ...JSON_TYPE, Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
    body: json({ pad: 'x'.repeat(20_000) }),
    status: 413,
    code: 'body_too_large',
  },
  // Routes
  {
    name: 'a call id with SQL in it',
    method: 'GET',
    path: "/calls/1'%20OR%20'1'='1",
    status: 404,
    code: 'unknown_call',
  },
  { name: 'PUT on /calls', method: 'PUT', body: json(GOOD), status: 404, code: 'not_found' },
  {
    name: 'DELETE on a call that does not exist',
    method: 'DELETE',
    path: '/calls/00000000-0000-4000-8000-000000000000',
    status: 404,
    code: 'unknown_call',
  },
  { name: 'DELETE on /calls', method: 'DELETE', status: 404, code: 'not_found' },
];

describe('hostile requests', () => {
  const { relay, upstream } = useRelay({ allowedOrigins: ['https://shop.example'] }, { http: true });

  it('are at least forty', () => {
    assert.ok(HOSTILE.length >= 40, String(HOSTILE.length));
  });

  for (const h of HOSTILE) {
    it(`${h.name}: ${h.status} ${h.code}, no call, still serving`, async () => {
      const response = await rawRequest(`${relay.url}${h.path ?? '/calls'}`, {
        method: h.method ?? 'POST',
        headers: h.headers ?? JSON_TYPE,
        ...(h.chunks ? { chunks: h.chunks } : { body: h.body }),
      });
      assert.equal(response.status, h.status, response.text);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const body = JSON.parse(response.text);
      assert.equal(body.error.code, h.code);
      assert.equal(typeof body.error.message, 'string');
      assert.doesNotMatch(response.text, /at \w+ \(|node_modules|\.ts:\d+/, 'no stack trace');
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['access-control-allow-origin'], undefined, 'no CORS grant for a refused request');
      assert.equal(upstream.requests.length, 0, 'no upstream request');
      const health = await relay.fetch(`${relay.url}/health`);
      assert.equal(health.status, 200);
    });
  }

  it('replays an Idempotency-Key with the same body without a second call, and refuses it with another', async () => {
    const headers = { ...JSON_TYPE, 'Idempotency-Key': 'hostile-replay-1' };
    const first = await rawRequest(`${relay.url}/calls`, { headers, body: json(GOOD) });
    assert.equal(first.status, 202);
    const replay = await rawRequest(`${relay.url}/calls`, {
      headers,
      body: json({ target: 'sales', phone: '+91 98765 43210' }),
    });
    assert.equal(replay.status, 202);
    assert.equal(replay.text, first.text);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    const conflict = await rawRequest(`${relay.url}/calls`, { headers, body: withPhone('+91 98765 43211') });
    assert.equal(conflict.status, 422);
    assert.equal(JSON.parse(conflict.text).error.code, 'idempotency_conflict');
    assert.equal(upstream.requests.length, 1, 'one call for three requests');
  });
});
