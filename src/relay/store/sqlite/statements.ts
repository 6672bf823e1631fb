import type { SqlDriver, SqlStatement } from './driver.js';

/** A call's row as written: its record, the columns its indexes use, and its expiry. */
export interface CallRow {
  callId: string;
  version: number;
  record: string;
  bridge: string;
  from: string;
  to: string;
  createdAt: number;
  dueAt: number | null;
  keepUntil: number;
}

/** What the store uses of a prepared statement, on either driver. */
export type Statement<P extends unknown[], R> = SqlStatement<P, R>;

/** A time after every real one, standing for "never" where SQL needs a number. */
const NEVER = '9223372036854775807';

/**
 * Every statement the SQLite store runs, prepared once when it opens, on either driver
 * (better-sqlite3 on Node, a Durable Object's storage on Workers). Each one that prunes
 * takes `(now, limit)` and deletes at most `limit` rows, oldest expiry first, through the
 * table's index on its expiry.
 */
export function prepareStatements(db: SqlDriver) {
  /** Prepares a statement; `pluck` makes it answer a row's first column rather than the row. */
  const sql = <P extends unknown[] = [], R = unknown>(source: string, pluck = false): Statement<P, R> =>
    db.prepare<P, R>(source, pluck);
  return {
    insertCall: sql<[CallRow]>(
      `INSERT INTO calls (call_id, version, record, bridge, from_leg, to_leg, created_at, due_at, keep_until)
       VALUES (@callId, @version, @record, @bridge, @from, @to, @createdAt, @dueAt, @keepUntil)`,
    ),
    /** The compare-and-set: changes a row only if it is still at the version before. */
    updateCall: sql<[Omit<CallRow, 'bridge' | 'from' | 'to' | 'createdAt'>]>(
      `UPDATE calls SET version = @version, record = @record, due_at = @dueAt, keep_until = @keepUntil
       WHERE call_id = @callId AND version = @version - 1`,
    ),
    getCall: sql<[string], string>('SELECT record FROM calls WHERE call_id = ?', true),
    deleteCall: sql<[string]>('DELETE FROM calls WHERE call_id = ?'),
    findOpenCall: sql<[string, string, string], string>(
      `SELECT record FROM calls INDEXED BY calls_open_by_legs
       WHERE bridge = ? AND from_leg = ? AND to_leg = ? AND due_at IS NOT NULL
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      true,
    ),
    dueCalls: sql<[number, number], string>(
      `SELECT call_id FROM calls INDEXED BY calls_due
       WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?`,
      true,
    ),
    /** The earliest due time of an open call (NULL when none is open). */
    earliestDue: sql<[], number | null>('SELECT min(due_at) FROM calls WHERE due_at IS NOT NULL', true),
    /**
     * When the first row of any kind expires (NULL when none is kept): a table whose rows
     * expire belongs here too, so that a host pruning by its own timer finds it. (Scalar
     * subqueries, not a UNION: a Durable Object's SQLite allows few compound terms.)
     */
    earliestExpiry: sql<[], number | null>(
      `SELECT nullif(min(${[
        'SELECT min(keep_until) FROM calls',
        'SELECT min(until) FROM number_claims',
        'SELECT min(until) FROM limit_hits',
        'SELECT min(until) FROM limit_buckets',
        'SELECT min(until) FROM idempotency_keys',
        'SELECT min(until) FROM once_claims',
        'SELECT min(until) FROM verifications',
        'SELECT min(until) FROM current_verifications',
        'SELECT min(until) FROM slot_places',
        'SELECT min(keep_until) FROM history',
        'SELECT min(keep_until) FROM history_counts',
        'SELECT min(keep_until) FROM refusal_counts',
        'SELECT min(until) FROM console_sessions',
      ]
        .map((query) => `coalesce((${query}), ${NEVER})`)
        .join(', ')}), ${NEVER})`,
      true,
    ),
    expiredCalls: sql<[number, number], string>(
      'SELECT call_id FROM calls WHERE keep_until <= ? ORDER BY keep_until LIMIT ?',
      true,
    ),

    nextEventSeq: sql<[string], number>('SELECT coalesce(max(seq), 0) + 1 FROM call_events WHERE call_id = ?', true),
    insertEvent: sql<[string, number, string]>('INSERT INTO call_events (call_id, seq, data) VALUES (?, ?, ?)'),
    readEvents: sql<[string, number], { seq: number; data: string }>(
      'SELECT seq, data FROM call_events WHERE call_id = ? AND seq > ? ORDER BY seq',
    ),
    deleteEvents: sql<[string]>('DELETE FROM call_events WHERE call_id = ?'),

    /** Claims a number unless another call holds it and its claim has not lapsed. */
    claimNumber: sql<[{ number: string; callId: string; until: number; now: number }]>(
      `INSERT INTO number_claims (number, call_id, until) VALUES (@number, @callId, @until)
       ON CONFLICT (number) DO UPDATE SET call_id = excluded.call_id, until = excluded.until
       WHERE number_claims.call_id = excluded.call_id OR number_claims.until <= @now`,
    ),
    numberHolder: sql<[string], string>('SELECT call_id FROM number_claims WHERE number = ?', true),
    releaseNumber: sql<[string, string]>('DELETE FROM number_claims WHERE number = ? AND call_id = ?'),
    pruneNumberClaims: sql<[number, number]>(
      `DELETE FROM number_claims WHERE number IN
       (SELECT number FROM number_claims WHERE until <= ? ORDER BY until LIMIT ?)`,
    ),

    countHits: sql<[string, number], number>('SELECT count(*) FROM limit_hits WHERE key = ? AND at > ?', true),
    /** The time of the `offset`-th hit (from 0, oldest first) still in the window. */
    hitAt: sql<[string, number, number], number>(
      'SELECT at FROM limit_hits WHERE key = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?',
      true,
    ),
    insertHit: sql<[string, number, number]>('INSERT INTO limit_hits (key, at, until) VALUES (?, ?, ?)'),
    refundHit: sql<[string, number]>(
      'DELETE FROM limit_hits WHERE rowid = (SELECT rowid FROM limit_hits WHERE key = ? AND at = ? LIMIT 1)',
    ),
    pruneHits: sql<[number, number]>(
      'DELETE FROM limit_hits WHERE rowid IN (SELECT rowid FROM limit_hits WHERE until <= ? ORDER BY until LIMIT ?)',
    ),

    /** The hits of a large limit in its window's buckets, oldest first. */
    bucketHits: sql<[string, number], { bucket: number; hits: number }>(
      'SELECT bucket, hits FROM limit_buckets WHERE key = ? AND bucket >= ? ORDER BY bucket',
    ),
    addBucketHit: sql<[string, number, number]>(
      `INSERT INTO limit_buckets (key, bucket, hits, until) VALUES (?, ?, 1, ?)
       ON CONFLICT (key, bucket) DO UPDATE SET hits = hits + 1`,
    ),
    refundBucketHit: sql<[string, number]>(
      'UPDATE limit_buckets SET hits = hits - 1 WHERE key = ? AND bucket = ? AND hits > 0',
    ),
    pruneBuckets: sql<[number, number]>(
      `DELETE FROM limit_buckets WHERE (key, bucket) IN
       (SELECT key, bucket FROM limit_buckets WHERE until <= ? ORDER BY until LIMIT ?)`,
    ),

    insertVerification: sql<[{ id: string; number: string; record: string; until: number }]>(
      'INSERT INTO verifications (verification_id, number, record, until) VALUES (@id, @number, @record, @until)',
    ),
    makeCurrent: sql<[{ id: string; number: string; until: number }]>(
      `INSERT INTO current_verifications (number, verification_id, until) VALUES (@number, @id, @until)
       ON CONFLICT (number) DO UPDATE SET verification_id = excluded.verification_id, until = excluded.until`,
    ),
    getVerification: sql<[string], { record: string; attempts: number; used: number; current: string | null }>(
      `SELECT v.record, v.attempts, v.used, c.verification_id AS current FROM verifications v
       LEFT JOIN current_verifications c ON c.number = v.number WHERE v.verification_id = ?`,
    ),
    countAttempt: sql<[string], number>(
      'UPDATE verifications SET attempts = attempts + 1 WHERE verification_id = ? RETURNING attempts',
      true,
    ),
    markUsed: sql<[string]>('UPDATE verifications SET used = 1 WHERE verification_id = ? AND used = 0'),
    pruneVerifications: sql<[number, number]>(
      `DELETE FROM verifications WHERE verification_id IN
       (SELECT verification_id FROM verifications WHERE until <= ? ORDER BY until LIMIT ?)`,
    ),
    pruneCurrentVerifications: sql<[number, number]>(
      `DELETE FROM current_verifications WHERE number IN
       (SELECT number FROM current_verifications WHERE until <= ? ORDER BY until LIMIT ?)`,
    ),

    dropLapsedPlaces: sql<[string, number]>('DELETE FROM slot_places WHERE slot = ? AND until <= ?'),
    holdsPlace: sql<[string, string], number>('SELECT 1 FROM slot_places WHERE slot = ? AND call_id = ?', true),
    placesHeld: sql<[string, number], number>('SELECT count(*) FROM slot_places WHERE slot = ? AND until > ?', true),
    takePlace: sql<[string, string, number]>('INSERT INTO slot_places (slot, call_id, until) VALUES (?, ?, ?)'),
    releasePlace: sql<[string, string]>('DELETE FROM slot_places WHERE slot = ? AND call_id = ?'),
    prunePlaces: sql<[number, number]>(
      `DELETE FROM slot_places WHERE (slot, call_id) IN
       (SELECT slot, call_id FROM slot_places WHERE until <= ? ORDER BY until LIMIT ?)`,
    ),

    getIdempotent: sql<[string, number], { fingerprint: string; answer: string | null }>(
      'SELECT fingerprint, answer FROM idempotency_keys WHERE key = ? AND until > ?',
    ),
    beginIdempotent: sql<[string, string, number]>(
      `INSERT INTO idempotency_keys (key, fingerprint, answer, until) VALUES (?, ?, NULL, ?)
       ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, answer = NULL, until = excluded.until`,
    ),
    completeIdempotent: sql<[string, number, string, number]>(
      'UPDATE idempotency_keys SET answer = ?, until = ? WHERE key = ? AND until > ?',
    ),
    deleteIdempotent: sql<[string]>('DELETE FROM idempotency_keys WHERE key = ?'),
    pruneIdempotent: sql<[number, number]>(
      `DELETE FROM idempotency_keys WHERE key IN
       (SELECT key FROM idempotency_keys WHERE until <= ? ORDER BY until LIMIT ?)`,
    ),

    /** Claims a key of a kind unless it is claimed and the claim has not expired. */
    claimOnce: sql<[{ kind: string; key: string; until: number; now: number }]>(
      `INSERT INTO once_claims (kind, key, until) VALUES (@kind, @key, @until)
       ON CONFLICT (kind, key) DO UPDATE SET until = excluded.until WHERE once_claims.until <= @now`,
    ),
    releaseOnce: sql<[string, string]>('DELETE FROM once_claims WHERE kind = ? AND key = ?'),
    pruneOnce: sql<[number, number]>(
      `DELETE FROM once_claims WHERE (kind, key) IN
       (SELECT kind, key FROM once_claims WHERE until <= ? ORDER BY until LIMIT ?)`,
    ),

    insertOrphan: sql<[number, string]>('INSERT INTO orphan_reports (at, report) VALUES (?, ?)'),
    /** Drops the reports up to an id (the newest id less the number kept). */
    trimOrphans: sql<[number]>('DELETE FROM orphan_reports WHERE id <= ?'),
    orphans: sql<[], { at: number; report: string }>('SELECT at, report FROM orphan_reports ORDER BY id'),
  };
}

/** The store's prepared statements. */
export type Statements = ReturnType<typeof prepareStatements>;
