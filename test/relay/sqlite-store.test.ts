import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/relay/store/sqlite/database.js';
import { createSqliteStore, SchemaTooNewError, type SqliteStoreOptions } from '../../src/relay/store/sqlite/index.js';
import { MIGRATIONS } from '../../src/relay/store/sqlite/migrations.js';
import type { LogLine } from '../helpers/relay.js';
import { createTestRelay } from '../helpers/relay.js';
import { measureGrowth, rowCounts, type GrowthSample } from '../../bench/sqlite-growth.js';
import { callStoreContract, create, finish, sampleCall, testClock, type TestClock } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'mt-c2c-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** A fresh database file in this test file's own folder. */
const newFile = () => join(dir, `store-${++files}.db`);

callStoreContract('sqlite', async (clock) => createSqliteStore({ path: newFile(), now: clock.now }));

/** A store on a file of its own, with a clock of its own, and the file's path to look inside. */
function openStore(options: Partial<SqliteStoreOptions> & { clock?: TestClock } = {}) {
  const clock = options.clock ?? testClock();
  const path = options.path ?? newFile();
  const store = createSqliteStore({ now: clock.now, ...options, path });
  return { clock, path, store };
}

describe('the SQLite store across a restart', () => {
  it('keeps calls, events, claims, limits, keys and reports once closed and opened again', async () => {
    const first = openStore();
    const { clock, path } = first;
    const call = sampleCall(clock);
    const rule = { key: `ip:restart`, limit: 1, windowMs: 60_000 };
    await first.store.claimNumber(call.claimedNumber, call.callId, call.expiresAt);
    await create(first.store, call);
    await first.store.claimOnce('ticket', 'jti-1', 60_000);
    await first.store.consumeLimits([rule], clock.now());
    await first.store.beginIdempotent('key-1', 'body', 60_000);
    await first.store.completeIdempotent('key-1', { status: 202, body: { callId: call.callId } }, 60_000);
    await first.store.saveOrphanReport({ from: 1 }, clock.now());
    await first.store.close();

    clock.advance(1000);
    const { store } = openStore({ clock, path });
    try {
      assert.deepEqual(await store.getCall(call.callId), call);
      assert.equal((await store.findOpenCall(call))?.callId, call.callId);
      assert.deepEqual(await store.dueCalls(call.expiresAt, 10), [call.callId]);
      assert.equal(await store.claimNumber(call.claimedNumber, 'another', call.expiresAt), call.callId);
      assert.equal(await store.claimOnce('ticket', 'jti-1', 60_000), false, 'a used ticket stays used');
      assert.deepEqual(await store.consumeLimits([rule], clock.now()), {
        ok: false,
        key: rule.key,
        retryAfterMs: 59_000,
      });
      assert.deepEqual(await store.beginIdempotent('key-1', 'body', 60_000), {
        state: 'done',
        answer: { status: 202, body: { callId: call.callId } },
      });
      assert.equal(store.orphanReports().length, 1);
      await finish(store, call, { state: 'completed', at: clock.now() });
      assert.deepEqual(
        (await store.readEvents(call.callId)).map((event) => [event.id, event.state]),
        [
          ['1', 'initiated'],
          ['2', 'completed'],
        ],
        'event ids go on counting where they were',
      );
    } finally {
      await store.close();
    }
  });

  it('keeps its file in WAL mode, readable by its owner only', async () => {
    const { path, store } = openStore();
    await store.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});

describe('the SQLite store’s expiry', () => {
  it('forgets a call and its events a retention period after it ended', async () => {
    const { clock, path, store } = openStore({ retentionMs: 60_000 });
    try {
      const old = sampleCall(clock);
      await create(store, old);
      await finish(store, old, { state: 'completed', at: clock.now() });
      clock.advance(59_999);
      await create(store, sampleCall(clock));
      assert.ok(await store.getCall(old.callId), 'kept for the whole retention period');
      clock.advance(1);
      await create(store, sampleCall(clock));
      assert.equal(await store.getCall(old.callId), undefined);
      assert.deepEqual(await store.readEvents(old.callId), []);
      assert.equal(rowCounts(path).call_events, 2, 'the two newer calls’ first events only');
    } finally {
      await store.close();
    }
  });

  it('keeps an open call until a retention period after it should have ended', async () => {
    const { clock, store } = openStore({ retentionMs: 60_000 });
    try {
      const open = sampleCall(clock, { expiresAt: clock.now() + 20 * 60_000 });
      await create(store, open);
      clock.advance(20 * 60_000);
      store.prune();
      assert.ok(await store.getCall(open.callId));
      clock.advance(60_000);
      store.prune();
      assert.equal(await store.getCall(open.callId), undefined);
      assert.deepEqual(await store.dueCalls(clock.now(), 10), []);
    } finally {
      await store.close();
    }
  });

  it('drops limit hits, idempotency keys and claims once they expired, when it prunes', async () => {
    const { clock, path, store } = openStore();
    try {
      await store.consumeLimits([{ key: 'ip:a', limit: 5, windowMs: 60_000 }], clock.now());
      await store.beginIdempotent('key', 'body', 60_000);
      await store.claimOnce('ticket', 'jti', 60_000);
      await store.claimOnce('report', 'fingerprint', 120_000);
      await store.claimNumber('919800000001', 'call', clock.now() + 60_000);
      clock.advance(60_000);
      store.prune();
      assert.deepEqual(rowCounts(path), {
        calls: 0,
        call_events: 0,
        number_claims: 0,
        limit_hits: 0,
        idempotency_keys: 0,
        once_claims: 1,
      });
      assert.equal(await store.claimOnce('report', 'fingerprint', 60_000), false, 'an unexpired claim stays');
    } finally {
      await store.close();
    }
  });

  it('prunes as it writes: rows and file size level off while the clock moves on', async () => {
    // A call every 4 minutes on the store's clock for 4 days: past the 24 hours calls are
    // kept, not yet past the 7 days reports are (bench/sqlite-growth.ts goes on that long).
    const samples = await measureGrowth({ calls: 1440, every: 480, stepMs: 4 * 60_000 });
    const [, day2, day4] = samples as [GrowthSample, GrowthSample, GrowthSample];
    for (const table of ['calls', 'call_events', 'number_claims', 'limit_hits', 'idempotency_keys'] as const) {
      assert.ok(
        day4.rows[table] <= day2.rows[table] + 5,
        `${table}: ${day2.rows[table]} rows, then ${day4.rows[table]}`,
      );
    }
    assert.ok(day4.rows.calls <= 24 * 15 + 5, `${day4.rows.calls} calls kept: those of the last 24 hours`);
    assert.ok(day4.fileBytes <= day2.fileBytes * 1.1, `file: ${day2.fileBytes} bytes, then ${day4.fileBytes}`);
  });

  it('keeps only the last 1,000 unmatched reports', async () => {
    const { clock, store } = openStore();
    try {
      for (let i = 1; i <= 1010; i++) await store.saveOrphanReport({ n: i }, clock.now());
      const kept = store.orphanReports();
      assert.equal(kept.length, 1000);
      assert.deepEqual([kept[0]!.report.n, kept.at(-1)!.report.n], [11, 1010]);
    } finally {
      await store.close();
    }
  });
});

/** The schema version a file records, read through a connection of its own. */
function schemaVersion(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT version FROM schema_version').pluck().get();
  } finally {
    db.close();
  }
}

describe('the SQLite store’s schema', () => {
  const options = { busyTimeoutMs: 100, synchronous: 'normal' } as const;
  const first = 'CREATE TABLE notes (text TEXT NOT NULL)';
  const second = 'ALTER TABLE notes ADD COLUMN at INTEGER NOT NULL DEFAULT 0';

  it('brings a file of an older schema up to date, keeping its rows', () => {
    const path = newFile();
    const old = openDatabase({ path, ...options }, [first]);
    old.prepare("INSERT INTO notes (text) VALUES ('kept')").run();
    old.close();
    const db = openDatabase({ path, ...options }, [first, second]);
    assert.equal(schemaVersion(path), 2);
    assert.deepEqual(db.prepare('SELECT text, at FROM notes').all(), [{ text: 'kept', at: 0 }]);
    db.close();
  });

  it('takes the version of a file from before the version table from its user_version', () => {
    const path = newFile();
    const old = new Database(path);
    old.exec(first);
    old.pragma('user_version = 1');
    old.close();
    const db = openDatabase({ path, ...options }, [first, second]);
    assert.equal(schemaVersion(path), 2);
    assert.deepEqual(db.prepare('SELECT at FROM notes').all(), []);
    db.close();
  });

  it('brings a file of the schema before the history (version 3) up to date: history kept beside its calls', async () => {
    const path = newFile();
    const clock = testClock();
    const old = createSqliteStore({ path, now: clock.now });
    await old.close();
    // The same file as a relay of the version before wrote it: no history tables.
    const db = new Database(path);
    db.exec('DROP TABLE history; DROP TABLE history_counts; DROP TABLE refusal_counts; DROP TABLE console_sessions');
    db.exec('UPDATE schema_version SET version = 3');
    db.close();
    openDatabase({ path, ...options }, MIGRATIONS.slice(0, 3)).close();
    assert.equal(schemaVersion(path), 3);
    const store = createSqliteStore({ path, now: clock.now });
    try {
      const at = clock.now();
      await store.recordHistory({
        id: 'upgraded',
        kind: 'call',
        phone: '+91 98••• ••001',
        requestedAt: at,
        state: 'initiated',
        keepUntil: at + 60_000,
      });
      assert.equal((await store.getHistory('upgraded'))?.state, 'initiated');
    } finally {
      await store.close();
    }
    assert.equal(schemaVersion(path), MIGRATIONS.length);
  });

  it('leaves the file as it was when a step fails', () => {
    const path = newFile();
    openDatabase({ path, ...options }, [first]).close();
    assert.throws(() => openDatabase({ path, ...options }, [first, 'CREATE TABLE half (a); NOT SQL']), {
      message: /^cannot open the SQLite store at .*: near "NOT": syntax error$/,
    });
    const db = openDatabase({ path, ...options }, [first]);
    assert.equal(schemaVersion(path), 1);
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half'", true).get(), 0);
    db.close();
  });

  it('refuses a file written by a newer version, saying so in one line', async () => {
    const { path, store } = openStore();
    await store.close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length + 1);
    db.close();
    assert.throws(
      () => createSqliteStore({ path }),
      (err: unknown) => {
        assert.ok(err instanceof SchemaTooNewError);
        assert.match(err.message, /has schema version \d+, newer than this mt-click-to-call knows .*upgrade/);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      },
    );
  });

  it('says in one line why a file cannot be opened', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a database, but long enough to have a header of its own: '.repeat(20));
    assert.throws(() => openDatabase({ path, ...options }), {
      message: `cannot open the SQLite store at ${path}: file is not a database`,
    });
    assert.throws(() => openDatabase({ path: join(path, 'relay.db'), ...options }), {
      message: /^cannot open the SQLite store at \S+notes\.txt\/relay\.db: [^\n]+$/,
    });
  });
});

describe('the SQLite store, when its file cannot be used', () => {
  it('fails with StoreUnavailableError while another connection holds the write lock, says so, and recovers', async () => {
    const logs: LogLine[] = [];
    const { path, store } = openStore({
      busyTimeoutMs: 50,
      logger: (level, event, fields) => logs.push({ level, event, fields }),
    });
    const other = new Database(path);
    try {
      assert.equal(await store.ping(), true);
      other.exec('BEGIN IMMEDIATE');
      await assert.rejects(store.claimOnce('ticket', 'jti', 60_000), { name: 'StoreUnavailableError' });
      assert.equal(await store.ping(), false);
      assert.equal(await store.getCall('00000000-0000-4000-8000-000000000001'), undefined, 'reads go on');
      other.exec('ROLLBACK');
      assert.equal(await store.ping(), true);
      assert.equal(await store.claimOnce('ticket', 'jti', 60_000), true);
      assert.deepEqual(
        logs.map((line) => line.event),
        ['sqlite.unavailable', 'sqlite.recovered'],
      );
    } finally {
      other.close();
      await store.close();
    }
  });

  it('makes the relay answer 503 store_unavailable, dialling nothing', async () => {
    const { path, store } = openStore({ busyTimeoutMs: 50, clock: { now: Date.now, advance: () => {} } });
    const relay = createTestRelay({ apiBase: 'http://127.0.0.1:9/api/v2/', store });
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const refused = await relay.post('/calls', { phone: '+91 98765 43210', target: 'sales' });
      assert.equal(refused.status, 503);
      assert.equal((await refused.json()).error.code, 'store_unavailable');
      assert.equal((await relay.fetch(`${relay.url}/health`)).status, 503);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await relay.close();
    }
  });

  it('fails with StoreUnavailableError once closed', async () => {
    const { store } = openStore();
    await store.close();
    await assert.rejects(store.getCall('00000000-0000-4000-8000-000000000001'), { name: 'StoreUnavailableError' });
    assert.equal(await store.ping(), false);
  });
});
