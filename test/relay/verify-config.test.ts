import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRelay, RelayConfigError, type RelayOptions } from '../../src/relay/index.js';
import { loadServerConfig } from '../../src/relay/node/env-config.js';
import { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/relay.js';

const VERIFY_SECRET = 'verify-secret-0123456789abcdef0123456789';

/** The problems `createRelay` names for these targets (and options), or none. */
function problems(targets: RelayOptions['targets'], options: Partial<RelayOptions> = {}): string[] {
  try {
    const relay = createRelay({
      apiToken: TEST_TOKEN,
      bridge: TEST_BRIDGE,
      webhookSecret: TEST_WEBHOOK_SECRET,
      ticketSecret: VERIFY_SECRET,
      targets,
      ...options,
    });
    void relay.close();
    return [];
  } catch (err) {
    assert.ok(err instanceof RelayConfigError, String(err));
    return err.problems;
  }
}

describe('verify targets in the configuration', () => {
  it('takes a verify target calling a flow, and a target that names it', () => {
    assert.deepEqual(
      problems({
        otp: { to: 'flow:220', codeVariable: 'otp', digits: 4, variables: ['Name'] },
        sales: { to: '918046000100', requireVerified: 'otp' },
        support: { to: '918046000200', requireVerified: true },
        plain: { to: '918046000300', requireVerified: false },
      }),
      [],
    );
  });

  it('names each thing a verify target may not be', () => {
    assert.deepEqual(
      problems({
        number: { to: '918046000100', codeVariable: 'otp' },
        short: { to: 'flow:1', codeVariable: 'otp', digits: 3 },
        declared: { to: 'flow:2', codeVariable: 'otp', variables: ['otp'] },
        recorded: { to: 'flow:3', codeVariable: 'otp', record: true },
        gated: { to: 'flow:4', codeVariable: 'otp', requireVerified: true },
        digitsAlone: { to: '918046000200', digits: 6 },
      }),
      [
        'targets.number.to: a verify target calls the IVR flow that speaks the code: use flow:ID',
        'targets.short.digits: must be at least 4',
        'targets.declared.variables: "otp" is the code: the relay fills it, so it cannot be declared for pages',
        'targets.recorded.record: a verify call is never recorded: the recording would hold the code',
        'targets.gated.requireVerified: a verify target cannot require a verified number',
        'targets.digitsAlone.digits: only a verify target (with codeVariable) has digits',
      ],
    );
  });

  it('needs requireVerified to name a verify target that exists', () => {
    assert.deepEqual(problems({ sales: { to: '918046000100', requireVerified: 'otp' } }), [
      'targets.sales.requireVerified: "otp" is not a verify target',
    ]);
    assert.deepEqual(problems({ sales: { to: '918046000100', requireVerified: true } }), [
      'targets.sales.requireVerified: needs a verify target (one with codeVariable)',
    ]);
  });

  it('needs the ticket secret, which signs the tokens', () => {
    const targets = { otp: { to: 'flow:220', codeVariable: 'otp' } };
    assert.deepEqual(problems(targets, { ticketSecret: undefined }), [
      'ticketSecret: is required to verify numbers: it signs the tokens a right code earns',
    ]);
  });
});

describe('verification settings from the environment', () => {
  const LIVE = {
    MT_API_TOKEN: 'live-token-0123456789',
    MT_BRIDGE: '918046000000',
    MT_WEBHOOK_SECRET: 'a-long-webhook-secret',
    MT_TARGETS: '{"otp":{"to":"flow:220","codeVariable":"otp"},"sales":{"to":"918046000100","requireVerified":"otp"}}',
  };

  it('stops at start with a clear line when a verify target has no MT_TICKET_SECRET', () => {
    const loaded = loadServerConfig(LIVE);
    assert.equal(loaded.ok, false);
    assert.deepEqual(!loaded.ok && loaded.problems, [
      'MT_TICKET_SECRET: is required to verify numbers: it signs the tokens a right code earns',
    ]);
  });

  it('reads MT_VERIFY_RATE_LIMITS and MT_VERIFIED_TOKEN_TTL_SECONDS, naming a bad one', () => {
    const loaded = loadServerConfig({
      ...LIVE,
      MT_TICKET_SECRET: VERIFY_SECRET,
      MT_VERIFY_RATE_LIMITS: 'number=1/1m,number=2/1h',
      MT_VERIFIED_TOKEN_TTL_SECONDS: '600',
    });
    assert.ok(loaded.ok);
    assert.equal(loaded.config.settings.verifyRateLimits.number?.length, 2);
    assert.equal(loaded.config.settings.verifiedTokenTtlSeconds, 600);
    const bad = loadServerConfig({ ...LIVE, MT_TICKET_SECRET: VERIFY_SECRET, MT_VERIFY_RATE_LIMITS: 'number=3' });
    assert.deepEqual(!bad.ok && bad.problems, ['MT_VERIFY_RATE_LIMITS: "number=3" is not like number=3/1h']);
  });

  it('gives the sandbox a verify target and a callback that needs it, when it has a secret to sign with', () => {
    const plain = loadServerConfig({});
    assert.ok(plain.ok);
    assert.deepEqual(Object.keys(plain.config.settings.targets), ['sales', 'after-hours', 'otp-ivr']);
    const verifying = loadServerConfig({ MT_TICKET_SECRET: VERIFY_SECRET });
    assert.ok(verifying.ok);
    const { otp, 'sales-verified': callback } = verifying.config.settings.targets;
    assert.deepEqual([otp?.to, otp?.codeVariable, callback?.requireVerified], ['flow:220', 'otp', 'otp']);
  });
});
