import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeUpstream, type UpstreamReply } from '../helpers/http.js';
import { upstreamClient } from '../../src/relay/node/upstream-client.js';
import type { ClosableTransport } from '../../src/relay/upstream/transport.js';
import { createTestRelay, useRelay, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/relay.js';

interface Fault {
  name: string;
  reply: UpstreamReply;
  status: number;
  code: string;
  logEvent: string;
  retryAfter?: string;
}

const json = (status: number, body: unknown, headers?: Record<string, string>): UpstreamReply => ({
  status,
  body: JSON.stringify(body),
  headers,
});

const FAULTS: Fault[] = [
  { name: 'never answers', reply: 'hang', status: 504, code: 'upstream_timeout', logEvent: 'upstream.timeout' },
  {
    name: 'answers 500 with an HTML page',
    reply: { status: 500, body: '<html><h1>Server Error</h1></html>', headers: { 'Content-Type': 'text/html' } },
    status: 502,
    code: 'upstream_error',
    logEvent: 'upstream.failed',
  },
  {
    name: 'answers 503',
    reply: json(503, { status: 503, message: 'maintenance' }),
    status: 502,
    code: 'upstream_error',
    logEvent: 'upstream.failed',
  },
  // Mobtexting echoing the token back must not carry it anywhere.
  {
    name: 'refuses the token (401)',
    reply: json(401, { status: 401, message: `Invalid token ${TEST_TOKEN}` }),
    status: 502,
    code: 'relay_misconfigured',
    logEvent: 'upstream.misconfigured',
  },
  {
    name: 'forbids the server IP (403)',
    reply: json(403, { status: 403, message: 'IP not whitelisted' }),
    status: 502,
    code: 'relay_misconfigured',
    logEvent: 'upstream.misconfigured',
  },
  {
    name: 'has no such route (404)',
    reply: json(404, { status: 404, message: 'Not Found' }),
    status: 502,
    code: 'relay_misconfigured',
    logEvent: 'upstream.misconfigured',
  },
  {
    name: 'rejects the request (422)',
    reply: json(422, { status: 422, message: 'The from 919876540106 was invalid.', errors: { from: ['invalid'] } }),
    status: 422,
    code: 'call_rejected',
    logEvent: 'upstream.rejected',
  },
  {
    name: 'answers garbage JSON',
    reply: { status: 200, body: '{"status": 200, "callId": ' },
    status: 502,
    code: 'upstream_error',
    logEvent: 'upstream.unparsable',
  },
  {
    name: 'sends an answer without end',
    reply: 'endless',
    status: 502,
    code: 'upstream_error',
    logEvent: 'upstream.unparsable',
  },
  {
    name: 'answers 200 with a failure status in the body',
    reply: json(200, { status: 'ERROR', code: 400, message: 'Insufficient balance' }),
    status: 502,
    code: 'upstream_error',
    logEvent: 'upstream.failed',
  },
  {
    name: 'answers 200 with status 422 in the body',
    reply: json(200, { status: 422, message: 'Invalid from' }),
    status: 422,
    code: 'call_rejected',
    logEvent: 'upstream.rejected',
  },
  {
    name: 'limits the rate (429)',
    reply: json(429, { status: 429, message: 'Too Many Attempts.' }, { 'Retry-After': '30' }),
    status: 429,
    code: 'rate_limited',
    logEvent: 'upstream.rate_limited',
    retryAfter: '30',
  },
];

// Both ways the relay reaches Mobtexting: `fetch` (any runtime) and the Node server's client.
for (const [client, makeTransport] of [
  ['fetch', () => undefined],
  ['the Node server’s client', upstreamClient],
] as const) {
  describe(`when Mobtexting fails (${client})`, () => faults(makeTransport));
}

function faults(makeTransport: () => ClosableTransport | undefined): void {
  let transport: ClosableTransport | undefined;
  before(() => {
    transport = makeTransport();
  });
  after(() => transport?.close());
  const { relay, upstream } = useRelay(() => ({ upstreamTimeoutMs: 1500, ...(transport && { transport }) }));
  beforeEach(() => {
    upstream.requests.length = 0;
    relay.logs.length = 0;
  });

  for (const [index, fault] of FAULTS.entries()) {
    it(`answers ${fault.status} ${fault.code} when Mobtexting ${fault.name}, after exactly one request`, async () => {
      upstream.reply = fault.reply;
      const started = performance.now();
      const response = await relay.post('/calls', { phone: `+91 98765 ${String(40100 + index)}`, target: 'sales' });
      const elapsed = performance.now() - started;
      const text = await response.text();
      assert.equal(response.status, fault.status, text);
      assert.equal(JSON.parse(text).error.code, fault.code);
      assert.ok(elapsed < 4000, `answered within the timeout (${Math.round(elapsed)} ms)`);
      assert.equal(upstream.requests.length, 1, 'never retried');
      if (fault.retryAfter) assert.equal(response.headers.get('retry-after'), fault.retryAfter);
      assert.ok(
        relay.logs.some((line) => line.event === fault.logEvent),
        `logs ${fault.logEvent}`,
      );

      const everything = [text, JSON.stringify([...response.headers]), JSON.stringify(relay.logs)].join('\n');
      const logged = JSON.stringify(relay.logs).replace(
        /[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}/g,
        '<callId>',
      );
      assert.doesNotMatch(logged, /\d{7,}/, 'no full number in the log');
      assert.ok(!everything.includes(TEST_TOKEN), 'the token appears nowhere');
      assert.ok(!everything.includes(TEST_WEBHOOK_SECRET), 'the webhook secret appears nowhere');
      assert.doesNotMatch(text, /html|Insufficient|whitelisted|Server Error/i, 'no upstream body reaches the browser');

      const calls = await relay.fetch(`${relay.url}/calls`, { method: 'POST' });
      assert.notEqual(calls.status, 500, 'the relay keeps serving');
    });
  }

  it('answers 502 upstream_error when Mobtexting cannot be reached', async () => {
    const gone = await startFakeUpstream();
    await gone.close();
    const unreachable = createTestRelay({ apiBase: gone.apiBase, ...(transport && { transport }) });
    try {
      const response = await unreachable.post('/calls', { phone: '+919876543210', target: 'sales' });
      assert.equal(response.status, 502);
      assert.equal((await response.json()).error.code, 'upstream_error');
      assert.ok(
        unreachable.logs.some((l) => l.event === 'upstream.unreachable' && l.fields?.reason === 'ECONNREFUSED'),
      );
    } finally {
      await unreachable.close();
    }
  });

  it('forgets a call Mobtexting refused, so the number is free at once', async () => {
    upstream.reply = json(500, {});
    const phone = '+91 98765 40201';
    assert.equal((await relay.post('/calls', { phone, target: 'sales' })).status, 502);
    assert.equal(relay.logs.filter((l) => l.event === 'call.initiated').length, 0);
    upstream.reply = json(200, { status: 200, message: 'ok' });
    assert.equal((await relay.post('/calls', { phone, target: 'sales' })).status, 202);
  });

  for (const [name, reply] of [
    ['never answers', 'hang'],
    ['answers 200 with a body it cannot read', { status: 200, body: '{"callId":' }],
  ] as const) {
    it(`keeps following the call when Mobtexting ${name}, since the call may ring`, async () => {
      upstream.reply = reply;
      const phone = reply === 'hang' ? '+91 98765 40202' : '+91 98765 40203';
      const first = await relay.post('/calls', { phone, target: 'sales' });
      assert.ok([502, 504].includes(first.status));
      // The relay's id for the call that may ring, as Mobtexting was sent it (`mid`).
      const callId = JSON.parse(upstream.requests.at(-1)!.body).mid;
      assert.ok(relay.logs.some((l) => l.event === 'call.uncertain'));
      upstream.reply = json(200, { status: 200, message: 'ok' });
      const again = await relay.post('/calls', { phone, target: 'sales' });
      assert.equal(again.status, 409, 'no second call to the same number');
      const requests = upstream.requests.length;
      const report = await relay.fetch(`${relay.url}/webhooks/mobtexting`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
        body: JSON.stringify({
          bridge: '918046000000',
          from: phone.replace(/\D/g, ''),
          to: '918046000100',
          status: 'COMPLETED',
          status1: 'ANSWER',
          status2: 'ANSWER',
          billing: '31',
        }),
      });
      const reported = await report.json();
      assert.equal(reported.callId, callId, 'the report of the call that did ring finds it');
      assert.equal(upstream.requests.length, requests);
    });
  }
}
