import { Hono } from 'hono';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { RelayOptions } from '../../src/relay/index.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createTestRelay, TEST_TARGETS, TEST_TOKEN, TEST_WEBHOOK_SECRET, type TestRelay } from './relay.js';

/** The secret verification tests sign with. */
export const VERIFY_SECRET = 'verify-secret-0123456789abcdef0123456789';

/** The test targets, with verify targets and targets that take only verified numbers. */
export const VERIFY_TARGETS: RelayOptions['targets'] = {
  ...TEST_TARGETS,
  otp: { to: 'flow:220', codeVariable: 'otp', digits: 6 },
  'otp-named': { to: 'flow:230', codeVariable: 'code', digits: 8, variables: ['Name'] },
  gated: { to: '918046000400', requireVerified: 'otp' },
  'gated-any': { to: '918046000500', requireVerified: true },
};

/** A relay whose Mobtexting is the sandbox, both in this process, and a clock the test moves. */
export interface VerifyFixture {
  relay: TestRelay;
  sandbox: Sandbox;
  /** The relay's clock, epoch milliseconds. */
  now(): number;
  advance(ms: number): void;
  /** What the sandbox's flow last said to a number: the code a visitor heard. */
  heard(phone: string, variable?: string): string;
  /** Starts a verification; answers the response. */
  start(phone: string, body?: Record<string, unknown>, headers?: Record<string, string>): Promise<Response>;
  /** Checks a code; answers the response. */
  check(verificationId: string, code: string, headers?: Record<string, string>): Promise<Response>;
  /** Starts a verification and types back the code heard; answers the token. */
  verify(phone: string, target?: string): Promise<string>;
}

/**
 * Builds the fixture (verification limits off unless given): the relay reaches the
 * sandbox through an in-process `fetch`, and the
 * sandbox posts reports back the same way when the test calls `sandbox.flush()`. Every
 * code the relay sends to the provider, and every code the flow speaks, becomes a secret
 * of the relay's scanner: no response or log line may show it.
 */
export function createVerifyFixture(options: Partial<RelayOptions> = {}): VerifyFixture {
  let clock = Date.parse('2026-11-26T10:00:00Z');
  // The sandbox and the relay reach each other: each closure reads the other once both exist.
  const revealDigits = (values: Record<string, string>) => {
    for (const value of Object.values(values)) if (/^\d{4,8}$/.test(value)) relay.treatAsSecret(value);
  };
  const sandbox = createSandbox({
    token: TEST_TOKEN,
    webhookSecret: TEST_WEBHOOK_SECRET,
    webhookUrl: 'http://relay.test/c2c/webhooks/mobtexting',
    delayMs: 3_600_000,
    fetch: (url, init) => relay.fetch(String(url), init),
    onSpoken: (spoken) => revealDigits(spoken.variables),
  });
  const provider = new Hono().route('/api/v2', sandbox.app);
  const relay: TestRelay = createTestRelay({
    apiBase: 'http://sandbox.test/api/v2/',
    targets: VERIFY_TARGETS,
    ticketSecret: VERIFY_SECRET,
    verifyRateLimits: 'off',
    now: () => clock,
    fetch: async (url, init) => {
      const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, string>;
      revealDigits(Object.fromEntries(Object.entries(body).filter(([key]) => key.startsWith('variables['))));
      return provider.request(String(url), init);
    },
    ...options,
  });
  const fixture: VerifyFixture = {
    relay,
    sandbox,
    now: () => clock,
    advance: (ms) => void (clock += ms),
    heard(phone, variable = 'otp') {
      const spoken = sandbox.spoken(phone);
      assert.ok(spoken, `the flow spoke to ${phone}`);
      return spoken.variables[variable]!;
    },
    start: (phone, body = {}, headers) => relay.post('/verifications', { phone, target: 'otp', ...body }, headers),
    check: (verificationId, code, headers) => relay.post(`/verifications/${verificationId}/check`, { code }, headers),
    async verify(phone, target = 'otp') {
      const started = await fixture.start(phone, { target });
      assert.equal(started.status, 202, await started.clone().text());
      const { verificationId } = await started.json();
      const checked = await fixture.check(verificationId, fixture.heard(phone, target === 'otp' ? 'otp' : 'code'));
      assert.equal(checked.status, 200, await checked.clone().text());
      return (await checked.json()).token;
    },
  };
  return fixture;
}

/** Gives a suite a {@link VerifyFixture}, made before its tests and closed after. */
export function useVerifyRelay(options: Partial<RelayOptions> = {}): VerifyFixture {
  let made: VerifyFixture | undefined;
  before(() => {
    made = createVerifyFixture(options);
  });
  after(async () => {
    made?.sandbox.close();
    await made?.relay.close();
  });
  const get = () => made ?? assert.fail('used before the suite started');
  return {
    get relay() {
      return get().relay;
    },
    get sandbox() {
      return get().sandbox;
    },
    now: () => get().now(),
    advance: (ms) => get().advance(ms),
    heard: (phone, variable) => get().heard(phone, variable),
    start: (phone, body, headers) => get().start(phone, body, headers),
    check: (id, code, headers) => get().check(id, code, headers),
    verify: (phone, target) => get().verify(phone, target),
  };
}
