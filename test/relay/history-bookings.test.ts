import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryCallStore } from '../../src/relay/index.js';
import { relayMetrics } from '../../src/relay/metrics/index.js';
import type { HistoryRow } from '../../src/relay/store/history.js';
import { TEST_METRICS_TOKEN, useRelay } from '../helpers/relay.js';
import { deskReport, FRIDAY_1900_IST, iso, NOBODY_AT_THE_DESK, SCHEDULING_TARGETS } from '../helpers/scheduling.js';
import { useVerifyRelay } from '../helpers/verify.js';

/** Saturday 28 November 2026, 10:00 in India: the desk's first slot after Friday evening. */
const SATURDAY_1000_IST = Date.parse('2026-11-28T04:30:00Z');

/** A row once the writes told so far have landed (they never hold up a call). */
async function rowWhen(
  store: MemoryCallStore,
  id: string,
  ready: (row: HistoryRow | undefined) => boolean,
): Promise<HistoryRow> {
  for (let i = 0; i < 100 && !ready(await store.getHistory(id)); i++) await sleep(5);
  const row = await store.getHistory(id);
  assert.ok(row && ready(row), `row ${id}: ${JSON.stringify(row)}`);
  return row;
}

/** The value of one series in a scrape, or 0 when it is not there. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('the history of bookings and redials', () => {
  let now = FRIDAY_1900_IST;
  const store = new MemoryCallStore({ now: () => now });
  const { relay } = useRelay(
    () => ({
      store,
      now: () => now,
      targets: SCHEDULING_TARGETS,
      metrics: relayMetrics({ token: TEST_METRICS_TOKEN }),
    }),
    { http: true },
  );
  const scrape = async () =>
    (await relay.fetch(`${relay.url}/metrics`, { headers: { Authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();

  it('keeps a booking from its slot to its dial, and its redial as a retry with its new time', async () => {
    now = FRIDAY_1900_IST;
    const before = await scrape();
    const booked = await relay.post('/calls', { phone: '+91 98111 70001', target: 'desk', at: iso(SATURDAY_1000_IST) });
    assert.equal(booked.status, 202);
    const { callId, phone } = (await booked.json()) as { callId: string; phone: string };
    const row = await rowWhen(store, callId, (r) => r?.state === 'scheduled');
    assert.deepEqual(
      [row.kind, row.source, row.target, row.phone, row.scheduledFor, row.requestedAt],
      ['booking', 'booking', 'desk', phone, SATURDAY_1000_IST, FRIDAY_1900_IST],
    );
    assert.equal(row.dialledAt, undefined, 'not dialled yet');

    now = SATURDAY_1000_IST + 2000;
    await relay.relay.sweep();
    const dialled = await rowWhen(store, callId, (r) => r?.state === 'initiated');
    assert.ok(dialled.dialledAt! >= SATURDAY_1000_IST, 'dialled at its slot');
    assert.equal(dialled.kind, 'booking', 'still the booking it was');

    const report = await relay.fetch(
      `${relay.url}/webhooks/mobtexting`,
      deskReport('919811170001', NOBODY_AT_THE_DESK, callId),
    );
    assert.equal(report.status, 200);
    const redial = await rowWhen(store, callId, (r) => r?.source === 'retry');
    assert.equal(redial.state, 'scheduled');
    assert.equal(redial.scheduledFor, now + 10 * 60_000, 'redialled ten minutes after');
    assert.deepEqual(
      redial.steps.map((s) => s.state),
      ['scheduled', 'initiated', 'scheduled'],
    );
    assert.equal(redial.statuses?.status2, 'NOANSWER', 'the first attempt’s report is kept');

    const after = await scrape();
    const moved = (labels: Record<string, string>) =>
      sample(after, 'mt_c2c_bookings_total', labels) - sample(before, 'mt_c2c_bookings_total', labels);
    assert.equal(moved({ target: 'desk', outcome: 'booked' }), 1);
    assert.equal(moved({ target: 'desk', outcome: 'dialled' }), 1);
    assert.ok(
      sample(after, 'mt_c2c_dispatcher_lag_seconds_count', {}) >
        sample(before, 'mt_c2c_dispatcher_lag_seconds_count', {}),
      'the dial’s lateness was measured',
    );
  });

  it('keeps a withdrawn booking as canceled', async () => {
    now = FRIDAY_1900_IST;
    const booked = await relay.post('/calls', {
      phone: '+91 98111 70002',
      target: 'desk',
      at: iso(SATURDAY_1000_IST + 15 * 60_000),
    });
    const { callId } = (await booked.json()) as { callId: string };
    const withdrawn = await relay.fetch(`${relay.url}/calls/${callId}`, { method: 'DELETE' });
    assert.equal(withdrawn.status, 200);
    const row = await rowWhen(store, callId, (r) => r?.state === 'canceled');
    assert.ok(row.endedAt, 'it ended');
    assert.deepEqual(
      row.steps.map((s) => s.state),
      ['scheduled', 'canceled'],
    );
  });
});

describe('the history of verifications', () => {
  // On the fixture's clock, as its relay is.
  const store = new MemoryCallStore({ now: () => fixture.now() });
  const fixture = useVerifyRelay({ store, metrics: relayMetrics({ token: TEST_METRICS_TOKEN }) });

  it('keeps a verification’s call as a verification, and counts how it went', async () => {
    const started = await fixture.start('+91 98765 13001');
    assert.equal(started.status, 202);
    const { verificationId } = (await started.json()) as { verificationId: string };
    const [verifying] = (await store.queryHistory({ kind: 'verification', limit: 10 })).rows;
    assert.ok(verifying, 'a row of kind verification');
    assert.deepEqual([verifying.target, verifying.phone, verifying.state], ['otp', '+91 98••• ••001', 'initiated']);
    assert.doesNotMatch(JSON.stringify(verifying), new RegExp(fixture.heard('+91 98765 13001')), 'no code in it');
    assert.equal((await fixture.check(verificationId, '000000')).status, 422);
    assert.equal((await fixture.check(verificationId, fixture.heard('+91 98765 13001'))).status, 200);
    const text = await (
      await fixture.relay.fetch(`${fixture.relay.url}/metrics`, {
        headers: { Authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      })
    ).text();
    for (const outcome of ['started', 'wrong_code', 'verified']) {
      assert.equal(sample(text, 'mt_c2c_verifications_total', { target: 'otp', outcome }), 1, outcome);
    }
  });
});
