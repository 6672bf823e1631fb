import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTicket } from '../../src/relay/calls/tickets.js';
import { DEFAULT_STORE, loadServerConfig } from '../../src/relay/node/env-config.js';
import { MIGRATIONS } from '../../src/relay/store/sqlite/migrations.js';
import { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/constants.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { runToEnd, spawnRelay, type RelayProcess } from '../helpers/process.js';
import { openSse } from '../helpers/sse.js';

const CLI = 'src/relay/node/cli.ts';
const TICKET_SECRET = 'durability-ticket-secret-0123456789abcdef';

describe('mt-c2c-relay on SQLite, killed with SIGKILL and started again', () => {
  let dir: string;
  let upstream: FakeUpstream;
  let relay: RelayProcess | undefined;
  let env: Record<string, string>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mt-c2c-durability-'));
    upstream = await startFakeUpstream();
    env = {
      MT_API_TOKEN: TEST_TOKEN,
      MT_API_BASE: upstream.apiBase,
      MT_BRIDGE: TEST_BRIDGE,
      MT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      MT_TARGETS: JSON.stringify({
        sales: { to: '918046000100' },
        later: {
          to: '918046000700',
          hours: { timezone: 'UTC', 'mon-sun': '00:00-24:00' },
          slots: { minutes: 60, daysAhead: 2, perSlot: 2 },
        },
      }),
      MT_TICKET_SECRET: TICKET_SECRET,
      MT_RATE_LIMITS: 'ip=2/1h',
      // Each test request names its address, so that the ticket's and the limited
      // visitor's are told apart.
      MT_TRUST_PROXY: 'true',
      MT_STORE: `sqlite:${join(dir, 'relay.db')}`,
    };
  });
  after(async () => {
    await relay?.stop();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, address: string, headers: Record<string, string> = {}) =>
    fetch(`${relay!.origin}/c2c${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('keeps a used ticket, a rate-limit hit, a booked callback and a placed call that were acknowledged', async () => {
    relay = await spawnRelay(CLI, env);
    const opened = relay.stdout.map((line) => JSON.parse(line)).find((line) => line.event === 'store.sqlite');
    assert.equal(opened?.path, join(dir, 'relay.db'));

    const ticket = await createTicket({ secret: TICKET_SECRET, to: '+91 98765 11111', target: 'sales' });
    const placed = await post('/calls', { ticket }, '10.0.0.1');
    assert.equal(placed.status, 202);
    const { callId } = await placed.json();
    const legs = JSON.parse(upstream.requests.at(-1)!.body) as { from: string; to: string };
    for (const phone of ['+91 98765 22221', '+91 98765 22222']) {
      assert.equal((await post('/calls', { phone, target: 'sales' }, '10.0.0.2')).status, 202);
    }
    const offered = (await (await fetch(`${relay.origin}/c2c/targets/later/availability`)).json()).slots;
    const slot = offered.at(-1) as { at: string; left: number };
    assert.equal(slot.left, 2);
    const booked = await post('/calls', { phone: '+91 98765 33331', target: 'later', at: slot.at }, '10.0.0.3');
    assert.equal(booked.status, 202);
    const booking = await booked.json();
    assert.equal(booking.state, 'scheduled');

    relay.child.kill('SIGKILL');
    assert.equal(await relay.stop(), null, 'killed, not stopped');
    assert.ok(statSync(join(dir, 'relay.db-wal')).size > 0, 'left as a crash leaves it, WAL and all');

    relay = await spawnRelay(CLI, env);
    const reused = await post('/calls', { ticket }, '10.0.0.1');
    assert.equal(reused.status, 403);
    assert.match((await reused.json()).error.message, /already used/);

    const limited = await post('/calls', { phone: '+91 98765 22223', target: 'sales' }, '10.0.0.2');
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('Retry-After'));
    assert.ok(retryAfter > 3500 && retryAfter <= 3600, `Retry-After: ${retryAfter}`);

    const read = await fetch(`${relay.origin}/c2c/calls/${callId}`);
    assert.equal(read.status, 200);
    assert.equal((await read.json()).state, 'initiated');

    // Its report carries no id: it finds the call by its numbers, in the open-call index.
    const report = await post('/webhooks/mobtexting', reportBody(legs.from, legs.to), '203.0.113.9', {
      Authorization: `Bearer ${TEST_WEBHOOK_SECRET}`,
    });
    assert.equal(report.status, 200);
    const stream = await openSse(`${relay.origin}/c2c/calls/${callId}/events`);
    await stream.ended;
    assert.deepEqual(
      stream.messages.filter((m) => m.event === 'state').map((m) => [m.id, JSON.parse(m.data!).state]),
      [
        ['1', 'initiated'],
        ['2', 'completed'],
      ],
    );

    const kept = await fetch(`${relay.origin}/c2c/calls/${booking.callId}`);
    assert.equal(kept.status, 200);
    assert.deepEqual(
      [(await kept.json()).state, booking.at],
      ['scheduled', slot.at],
      'still booked for its slot (its dialling at the slot: test/e2e/booking-durability.test.ts)',
    );
    const after = (await (await fetch(`${relay.origin}/c2c/targets/later/availability`)).json()).slots;
    assert.equal(after.find((s: { at: string }) => s.at === slot.at)?.left, 1, 'its place in the slot still taken');
  });

  it('refuses a file written by a newer version, in one line, and does not start', async () => {
    const path = join(dir, 'newer.db');
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const result = await runToEnd(['--import', 'tsx', CLI], { MT_STORE: `sqlite:${path}` });
    assert.equal(result.code, 1);
    assert.deepEqual(result.stderr.trim().split('\n'), [
      `mt-c2c-relay: the SQLite store at ${path} has schema version ${MIGRATIONS.length + 1}, ` +
        `newer than this mt-click-to-call knows (${MIGRATIONS.length}): upgrade mt-click-to-call, or give this relay another file`,
    ]);
  });
});

/** Mobtexting's report of a completed call, as the seed document writes it (numbers unquoted). */
function reportBody(from: string, to: string): string {
  return `{"bridge": ${TEST_BRIDGE}, "from": ${from}, "to": ${to}, "source": "C2C",
    "start_at": "2026-11-26 16:27:39", "end_at": "2026-11-26 16:27:55", "duration": "16", "billing": "16",
    "status": "COMPLETED", "status1": "ANSWER", "status2": "ANSWER", "hangup_by": "caller"}`;
}

describe('choosing the store: MT_STORE', () => {
  const store = (env: Record<string, string>) => {
    const loaded = loadServerConfig(env);
    return loaded.ok ? loaded.config.store : loaded.problems;
  };

  it('keeps calls in ./.mt-c2c/relay.db when nothing is set', () => {
    assert.deepEqual(store({}), { kind: 'sqlite', path: './.mt-c2c/relay.db' });
    assert.deepEqual(DEFAULT_STORE, { kind: 'sqlite', path: './.mt-c2c/relay.db' });
  });

  it('reads sqlite:PATH, memory and redis:// URLs', () => {
    assert.deepEqual(store({ MT_STORE: 'sqlite:/var/lib/mt-c2c/relay.db' }), {
      kind: 'sqlite',
      path: '/var/lib/mt-c2c/relay.db',
    });
    assert.deepEqual(store({ MT_STORE: 'memory' }), { kind: 'memory' });
    assert.deepEqual(store({ MT_STORE: 'rediss://:pw@redis.internal:6380' }), {
      kind: 'redis',
      url: 'rediss://:pw@redis.internal:6380',
    });
  });

  it('still takes REDIS_URL, alone or saying the same', () => {
    const url = 'redis://127.0.0.1:6379';
    assert.deepEqual(store({ REDIS_URL: url }), { kind: 'redis', url });
    assert.deepEqual(store({ REDIS_URL: url, MT_STORE: url }), { kind: 'redis', url });
  });

  it('refuses, in one line naming the variable, a store it cannot read or two that disagree', () => {
    assert.deepEqual(store({ MT_STORE: 'postgres://db' }), [
      'MT_STORE: must be memory, sqlite:PATH or redis://host:6379 (rediss:// for TLS)',
    ]);
    assert.deepEqual(store({ MT_STORE: 'sqlite:' }), [
      'MT_STORE: must be memory, sqlite:PATH or redis://host:6379 (rediss:// for TLS)',
    ]);
    assert.deepEqual(store({ MT_STORE: 'memory', REDIS_URL: 'redis://:secret@redis.internal:6379' }), [
      'MT_STORE: disagrees with REDIS_URL; set only one of them',
    ]);
  });
});
