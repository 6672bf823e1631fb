import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/constants.js';
import { startFakeUpstream } from '../helpers/http.js';
import { ROOT, spawnRelay } from '../helpers/process.js';
import { startRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

/** How long before the slot the relay's clock reads when it starts: time to book, kill and restart. */
const LEAD_MS = 20_000;

/** A durable store for one test, and how to stop it. */
interface DurableStore {
  env: Record<string, string>;
  stop(): Promise<void>;
}

const STORES: [string, () => Promise<DurableStore>][] = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mt-c2c-booking-'));
      return {
        env: { MT_STORE: `sqlite:${join(dir, 'relay.db')}` },
        stop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'Redis',
    async () => {
      const redis = await startRedis();
      return { env: { REDIS_URL: redis.url }, stop: () => redis.stop() };
    },
  ],
];

// A booking survives its relay being killed: it is in the store (the SQLite file or
// Redis), and the next relay to run dials it at its time, once. Real processes, a real
// SIGKILL, real waiting; the relay's clock is shifted (test/helpers/shifted-clock.mjs) so
// that the next whole minute, the shortest slot's start, is LEAD_MS away instead of up
// to a minute.
for (const [name, open] of STORES) {
  describe(`a booked callback when its relay is killed (${name})`, () => {
    it('is dialled exactly once, at its slot, by the relay started after it', async () => {
      const store = await open();
      const provider = await startFakeUpstream();
      const machineNow = Date.now();
      const slot = Math.ceil(machineNow / 60_000) * 60_000 + 60_000; // a whole minute: a slot's start
      const shift = slot - LEAD_MS - machineNow;
      const relayNow = () => Date.now() + shift;
      const env = {
        MT_API_TOKEN: TEST_TOKEN,
        MT_API_BASE: provider.apiBase,
        MT_BRIDGE: TEST_BRIDGE,
        MT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        MT_TARGETS: JSON.stringify({
          now: {
            to: '918046000600',
            hours: { timezone: 'UTC', 'mon-sun': '00:00-24:00' },
            slots: { minutes: 1, daysAhead: 1 },
          },
        }),
        MT_RATE_LIMITS: 'off',
        ...store.env,
        NODE_OPTIONS: `--import=${pathToFileURL(`${ROOT}test/helpers/shifted-clock.mjs`).href}`,
        TEST_CLOCK_SHIFT_MS: String(shift),
      };
      const first = await spawnRelay('src/relay/node/cli.ts', env);
      let second: typeof first | undefined;
      try {
        const { slots } = await (await fetch(`${first.origin}/c2c/targets/now/availability`)).json();
        assert.equal(slots[0].at, new Date(slot).toISOString(), 'the next whole minute is on offer');
        const booked = await fetch(`${first.origin}/c2c/calls`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ phone: '+91 98222 90001', target: 'now', at: slots[0].at }),
        });
        assert.equal(booked.status, 202);
        const { callId } = await booked.json();

        const exited = new Promise((resolve) => first.child.once('exit', resolve));
        first.child.kill('SIGKILL');
        await exited;
        assert.equal(provider.requests.length, 0, 'the killed relay dialled nothing');
        assert.ok(relayNow() < slot, 'killed before the slot');

        second = await spawnRelay('src/relay/node/cli.ts', env);
        await until(() => provider.requests.length > 0, 'the dial', LEAD_MS + 15_000);
        const dialledAt = relayNow();
        assert.ok(dialledAt >= slot, 'not before the slot');
        assert.ok(dialledAt < slot + 3000, `at the slot (${dialledAt - slot} ms after it)`);
        await new Promise((resolve) => setTimeout(resolve, 2500));
        assert.deepEqual(
          provider.requests.map((r) => JSON.parse(r.body).mid),
          [callId],
          'exactly one call reached the provider',
        );
        const call = await (await fetch(`${second.origin}/c2c/calls/${callId}`)).json();
        assert.equal(call.state, 'initiated');
      } finally {
        if (first.child.exitCode === null && first.child.signalCode === null) await first.stop();
        await second?.stop();
        await provider.close();
        await store.stop();
      }
    });
  });
}
