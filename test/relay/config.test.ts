import { LOCAL_NETWORKS, parseNetwork } from '../../src/relay/http/ip-address.js';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { schedulesOf } from '../../src/relay/scheduling/schedule.js';
import { loadServerConfig } from '../../src/relay/node/env-config.js';
import { createRelay, RelayConfigError } from '../../src/relay/index.js';
import { TEST_TARGETS } from '../helpers/relay.js';

const LIVE = {
  MT_API_TOKEN: 'live-token-0123456789',
  MT_BRIDGE: '+91 80 4600 0000',
  MT_TARGETS: '{"sales":{"to":"918046000100"}}',
  MT_WEBHOOK_SECRET: 'a-long-webhook-secret',
};

function problemsOf(env: Record<string, string>): string[] {
  const loaded = loadServerConfig(env);
  assert.equal(loaded.ok, false, 'configuration refused');
  return loaded.ok ? [] : loaded.problems;
}

describe('configuration from the environment', () => {
  it('runs in sandbox mode with no configuration at all', () => {
    const loaded = loadServerConfig({});
    assert.ok(loaded.ok);
    assert.equal(loaded.config.mode, 'sandbox');
    assert.equal(loaded.config.port, 8787);
    assert.equal(loaded.config.basePath, '/c2c');
    assert.deepEqual(Object.keys(loaded.config.settings.targets), ['sales', 'after-hours', 'otp-ivr']);
    assert.deepEqual(loaded.config.settings.allowedCountries, ['IN']);
  });

  it('gives the demo a target that is open and one that is closed when looked at, both offering slots', () => {
    const loaded = loadServerConfig({});
    assert.ok(loaded.ok);
    const schedules = schedulesOf(loaded.config.settings.targets);
    const now = Date.now();
    assert.equal(schedules.sales!.view(now).open, true);
    assert.ok(schedules.sales!.view(now).slots.length > 0);
    const closed = schedules['after-hours']!;
    // Closed now and for 34 hours at least, whatever the time the server started.
    for (let later = 0; later < 34 * 3600_000; later += 15 * 60_000) assert.equal(closed.isOpen(now + later), false);
    const view = closed.view(now);
    assert.ok(view.opensAt! - now < 3 * 86_400_000, 'opens within three days');
    assert.equal(view.slots[0], view.opensAt, 'and offers that opening’s slots');
  });

  it('reads how late a booked callback may still be dialled', () => {
    const loaded = loadServerConfig({ MT_BOOKING_GRACE_MS: '120000' });
    assert.ok(loaded.ok);
    assert.equal(loaded.config.settings.bookingGraceMs, 120_000);
    const byDefault = loadServerConfig({});
    assert.equal(byDefault.ok && byDefault.config.settings.bookingGraceMs, 600_000, 'ten minutes by default');
  });

  it('reads a live configuration and normalises numbers', () => {
    const loaded = loadServerConfig({
      ...LIVE,
      PORT: '9000',
      MT_ALLOWED_COUNTRIES: 'in, ae',
      MT_UPSTREAM_TIMEOUT_MS: '2500',
      MT_API_BASE: 'https://white-label.example/api/v2',
    });
    assert.ok(loaded.ok);
    assert.equal(loaded.config.mode, 'live');
    assert.equal(loaded.config.port, 9000);
    assert.equal(loaded.config.settings.bridge, '918046000000');
    assert.equal(loaded.config.settings.apiBase, 'https://white-label.example/api/v2/');
    assert.deepEqual(loaded.config.settings.allowedCountries, ['IN', 'AE']);
    assert.equal(loaded.config.settings.upstreamTimeoutMs, 2500);
    assert.deepEqual(loaded.config.settings.targets.sales, {
      to: '918046000100',
      callFirst: 'visitor',
      record: false,
      variables: {},
      requireConsent: false,
    });
  });

  it('reads MT_TARGETS from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-c2c-'));
    const file = join(dir, 'targets.json');
    writeFileSync(file, JSON.stringify({ 'otp-ivr': { to: 'flow:220', variables: ['Name'] } }));
    const loaded = loadServerConfig({ ...LIVE, MT_TARGETS: file });
    assert.ok(loaded.ok);
    assert.equal(loaded.config.settings.targets['otp-ivr']?.to, 'flow:220');
  });

  it('names every problem of a live configuration, one line each', () => {
    const problems = problemsOf({
      MT_API_TOKEN: 'live-token-0123456789',
      PORT: 'eighty',
      MT_BASE_PATH: 'c2c/',
      MT_ALLOWED_COUNTRIES: 'IN,XX',
      MT_UPSTREAM_TIMEOUT_MS: '5',
    });
    assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), [
      'MT_ALLOWED_COUNTRIES',
      'MT_BASE_PATH',
      'MT_BRIDGE',
      'MT_TARGETS',
      'MT_UPSTREAM_TIMEOUT_MS',
      'MT_WEBHOOK_SECRET',
      'PORT',
    ]);
    for (const problem of problems) assert.doesNotMatch(problem, /\n/);
    assert.ok(problems.includes('MT_BRIDGE: is required'), problems.join('\n'));
    assert.ok(problems.includes('MT_ALLOWED_COUNTRIES: "XX" is not a known ISO country code'), problems.join('\n'));
    assert.ok(!problems.join('').includes('live-token-0123456789'), 'the token is never printed');
  });

  it('explains bad targets by name and field', () => {
    const problems = problemsOf({
      ...LIVE,
      MT_TARGETS: JSON.stringify({
        sales: { to: '12', attempts: 3 },
        ivr: { to: 'flow:1', callFirst: 'agent' },
        'bad name': { to: '918046000100' },
      }),
    });
    assert.ok(
      problems.some((p) => p.startsWith('MT_TARGETS (sales.to): must be a number with country code')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p === 'MT_TARGETS (sales.attempts): must be at most 2'),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('MT_TARGETS (ivr.callFirst)')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('MT_TARGETS (bad name)')),
      problems.join('\n'),
    );
  });

  it('says when MT_TARGETS is neither JSON nor a readable file', () => {
    assert.deepEqual(problemsOf({ ...LIVE, MT_TARGETS: '/no/such/targets.json' }), [
      'MT_TARGETS: must be JSON or the path of a JSON file; cannot read "/no/such/targets.json"',
    ]);
    assert.deepEqual(problemsOf({ ...LIVE, MT_TARGETS: '{"sales":' }), ['MT_TARGETS: is not valid JSON']);
  });

  it('reads the defences’ settings', () => {
    const loaded = loadServerConfig({
      ...LIVE,
      MT_ALLOWED_ORIGINS: 'https://www.example.com, http://localhost:3000',
      MT_RATE_LIMITS: 'number=2/30m,global=100/1d',
      MT_TRUST_PROXY: 'true',
    });
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.config.settings.allowedOrigins, ['https://www.example.com', 'http://localhost:3000']);
    assert.deepEqual(loaded.config.settings.rateLimits, {
      number: { count: 2, windowMs: 1_800_000 },
      global: { count: 100, windowMs: 86_400_000 },
    });
    assert.deepEqual(
      loaded.config.settings.trustProxy,
      { networks: LOCAL_NETWORKS.map((text) => parseNetwork(text)) },
      '"true" trusts proxies on loopback and private networks only',
    );
    const defaults = loadServerConfig(LIVE);
    assert.ok(defaults.ok);
    assert.deepEqual(Object.keys(defaults.config.settings.rateLimits), ['ip', 'number', 'prefix', 'target', 'global']);
    assert.equal(defaults.config.settings.trustProxy, undefined);
    const off = loadServerConfig({ ...LIVE, MT_RATE_LIMITS: 'off', MT_TRUST_PROXY: '2' });
    assert.ok(off.ok);
    assert.deepEqual(off.config.settings.rateLimits, {});
    assert.deepEqual(off.config.settings.trustProxy, { hops: 2 });
  });

  it('names bad defence settings', () => {
    const problems = problemsOf({
      ...LIVE,
      MT_ALLOWED_ORIGINS: 'www.example.com,https://ok.example/path',
      MT_RATE_LIMITS: 'number=3',
      MT_TRUST_PROXY: 'sometimes',
    });
    assert.deepEqual(problems.sort(), [
      'MT_ALLOWED_ORIGINS: "https://ok.example/path" is not an origin like https://www.example.com',
      'MT_ALLOWED_ORIGINS: "www.example.com" is not an origin like https://www.example.com',
      'MT_RATE_LIMITS: "number=3" is not like number=3/1h',
      'MT_TRUST_PROXY: must be true, false, the number of proxies in front, or their addresses or networks (got "sometimes")',
    ]);
  });

  it('warns about MT_ variables it does not know', () => {
    const loaded = loadServerConfig({ ...LIVE, MT_TARGET: 'x' });
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.warnings, ['MT_TARGET: not a setting of mt-c2c-relay; it is ignored']);
  });
});

describe('createRelay options', () => {
  it('throws one RelayConfigError listing every problem', () => {
    assert.throws(
      () => createRelay({ apiToken: 'x', bridge: '12', targets: {}, webhookSecret: 'short' }),
      (err: unknown) => {
        assert.ok(err instanceof RelayConfigError);
        assert.deepEqual(err.problems.map((p) => p.split(':')[0]).sort(), [
          'apiToken',
          'bridge',
          'targets',
          'webhookSecret',
        ]);
        return true;
      },
    );
  });

  it('accepts a minimal configuration', () => {
    const app = createRelay({
      apiToken: 'token-123456',
      bridge: '918046000000',
      targets: TEST_TARGETS,
      webhookSecret: 'a-long-webhook-secret',
    });
    assert.equal(typeof app.fetch, 'function');
  });
});
