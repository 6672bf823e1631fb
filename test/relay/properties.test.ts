import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CALL_STATES, isFinalState } from '../../src/protocol/index.js';
import { parseCallRequest } from '../../src/relay/calls/request.js';
import { RelayError } from '../../src/relay/errors.js';
import { createRelay } from '../../src/relay/index.js';
import { parseVisitorPhone } from '../../src/relay/phone/visitor-number.js';
import { callOutcome } from '../../src/relay/calls/outcome.js';
import { parseReport } from '../../src/relay/calls/report.js';
import { checkPhoneShape } from '../../src/widget/phone-shape.js';
import { TEST_BRIDGE, TEST_TARGETS, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/relay.js';

const REQUEST_KEYS = ['phone', 'country', 'target', 'variables', 'ticket', 'consent', 'humanToken', 'verified'];
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Bodies near the valid shape, where parser bugs hide, as well as anything at all. */
const requestBodies = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom(...REQUEST_KEYS, 'to', 'bridge', '__proto__', 'constructor'), fc.jsonValue()),
  fc.record(
    {
      phone: fc.oneof(fc.string(), fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/)),
      target: fc.oneof(fc.constantFrom('sales', 'otp-ivr', 'default'), fc.string()),
      variables: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
      consent: fc.oneof(fc.boolean(), fc.string()),
    },
    { requiredKeys: [] },
  ),
);

const expectRelayError = <T>(run: () => T): { value?: T; error?: RelayError } => {
  try {
    return { value: run() };
  } catch (err) {
    assert.ok(err instanceof RelayError, `threw ${String(err)}`);
    assert.ok(err.status >= 400 && err.status < 500, `a client error, not ${err.status}`);
    return { error: err };
  }
};

describe('parser properties', () => {
  it('parseCallRequest either refuses with a RelayError or answers only known, bounded fields', () => {
    fc.assert(
      fc.property(requestBodies, (body) => {
        const { value } = expectRelayError(() => parseCallRequest(body));
        if (!value) return;
        const request = value as Record<string, unknown>;
        for (const key of Object.keys(request)) assert.ok(REQUEST_KEYS.includes(key), key);
        assert.ok(request.phone !== undefined || request.ticket !== undefined);
        if (typeof request.phone === 'string') assert.ok(request.phone.length <= 40);
        for (const v of Object.values((request.variables ?? {}) as Record<string, unknown>)) {
          assert.equal(typeof v, 'string');
          assert.ok(!CONTROL.test(v as string));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('parseVisitorPhone either refuses with a RelayError or answers a callable number', () => {
    const policy = { defaultCountry: 'IN', allowedCountries: new Set(['IN']) };
    const phones = fc.oneof(
      fc.string(),
      fc.stringMatching(/^\+?9?1?[0-9 ]{6,14}$/),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    fc.assert(
      fc.property(phones, (phone) => {
        const { value, error } = expectRelayError(() => parseVisitorPhone(phone, policy));
        if (error)
          return assert.ok(['invalid_phone', 'number_not_allowed', 'country_not_allowed'].includes(error.code));
        assert.match(value!.digits, /^91\d{10}$/);
        assert.equal(value!.country, 'IN');
        assert.match(value!.masked, /^\+91 \d\d•+ •+\d{3}$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('parseReport never throws, and accepts only well-formed legs and statuses', () => {
    const legs = fc.oneof(
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.string(),
      fc.constant('flow:220'),
      fc.jsonValue(),
    );
    const reports = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          bridge: legs,
          from: legs,
          to: legs,
          status: fc.jsonValue(),
          status1: fc.string(),
          duration: fc.oneof(fc.string(), fc.double()),
          recording_url: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(reports, (body) => {
        const parsed = parseReport(body);
        if (!parsed.ok) return assert.equal(typeof parsed.problem, 'string');
        for (const leg of [parsed.report.bridge, parsed.report.from, parsed.report.to])
          assert.match(leg, /^(\d{4,15}|flow:\d{1,12})$/);
        for (const status of [parsed.report.status, parsed.report.status1, parsed.report.status2])
          assert.equal(status, status.toUpperCase());
        if (parsed.report.duration !== undefined)
          assert.ok(Number.isInteger(parsed.report.duration) && parsed.report.duration >= 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('callOutcome answers a final state for any statuses', () => {
    const status = fc.oneof(
      fc.constantFrom(
        'ANSWER',
        'BUSY',
        'NOANSWER',
        'CANCEL',
        'CONGESTION',
        'CHANUNAVAIL',
        'RECEIVED',
        'MISSED',
        'COMPLETED',
        '',
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(
        status,
        status,
        status,
        fc.constantFrom('from' as const, 'to' as const),
        fc.boolean(),
        (s, s1, s2, leg, flow) => {
          const state = callOutcome({ status: s, status1: s1, status2: s2 }, leg, flow);
          assert.ok(isFinalState(state) && CALL_STATES.includes(state));
        },
      ),
    );
  });

  it('the widget’s checkPhoneShape never throws and answers ASCII only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (typed) => {
        const shape = checkPhoneShape(typed);
        if (shape.ok) assert.match(shape.phone, /^\+?[0-9 ().\-/]+$/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('relay properties', () => {
  it('never answers 5xx to any request body, and calls Mobtexting only for the calls it accepts', async () => {
    let upstreamCalls = 0;
    const relay = createRelay({
      apiToken: TEST_TOKEN,
      bridge: TEST_BRIDGE,
      targets: TEST_TARGETS,
      webhookSecret: TEST_WEBHOOK_SECRET,
      rateLimits: 'off',
      logger: () => {},
      fetch: async () => {
        upstreamCalls++;
        return new Response(JSON.stringify({ status: 200, message: 'ok' }), {
          headers: { 'Content-Type': 'application/json' },
        });
      },
    });
    try {
      await fc.assert(
        fc.asyncProperty(requestBodies, async (body) => {
          const before = upstreamCalls;
          const response = await relay.request('/calls', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          });
          assert.ok(response.status < 500, `status ${response.status}`);
          const answer = await response.json();
          assert.equal(upstreamCalls - before, response.status === 202 ? 1 : 0);
          if (response.status !== 202) assert.equal(typeof answer.error.code, 'string');
        }),
        { numRuns: 500 },
      );
    } finally {
      await relay.close();
    }
  });

  it('never answers 5xx to any webhook body', async () => {
    const relay = createRelay({
      apiToken: TEST_TOKEN,
      bridge: TEST_BRIDGE,
      targets: TEST_TARGETS,
      webhookSecret: TEST_WEBHOOK_SECRET,
      logger: () => {},
    });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue(),
            fc.record({ bridge: fc.jsonValue(), from: fc.jsonValue(), to: fc.jsonValue(), status: fc.jsonValue() }),
          ),
          async (body) => {
            const response = await relay.request('/webhooks/mobtexting', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
              body: JSON.stringify(body),
            });
            assert.ok([200, 202, 400].includes(response.status), `status ${response.status}`);
          },
        ),
        { numRuns: 500 },
      );
    } finally {
      await relay.close();
    }
  });
});
