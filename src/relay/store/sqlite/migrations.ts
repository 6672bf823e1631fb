/**
 * The SQLite store's schema, as the steps that build it: step `n` (1-based) takes a
 * database from schema version `n - 1` to `n`, and its `schema_version` table says which
 * it has. Steps are only ever appended: a released step is never edited, since databases
 * out there were built by it. One newer than the last step is refused (see `schema.ts`).
 * The same steps build a file on Node and a Durable Object's storage on Workers.
 *
 * Times are epoch milliseconds. Each table that expires has an index on its expiry, so
 * pruning finds the oldest rows without a scan.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: calls and their events, number claims, rate-limit hits, idempotency keys,
  //    once-only claims, and the reports that matched no call.
  `
  CREATE TABLE calls (
    call_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    -- The CallRecord as JSON: what the relay decided, kept as it is.
    record TEXT NOT NULL,
    -- The legs and creation time, copied out of the record for the open-call index.
    bridge TEXT NOT NULL,
    from_leg TEXT NOT NULL,
    to_leg TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- When the call is due for the relay's attention; NULL once it has ended.
    due_at INTEGER,
    -- When the call and its events may be forgotten.
    keep_until INTEGER NOT NULL
  );
  CREATE INDEX calls_due ON calls (due_at) WHERE due_at IS NOT NULL;
  CREATE INDEX calls_open_by_legs ON calls (bridge, from_leg, to_leg, created_at) WHERE due_at IS NOT NULL;
  CREATE INDEX calls_keep_until ON calls (keep_until);

  CREATE TABLE call_events (
    call_id TEXT NOT NULL,
    -- Counts up from 1 within each call: the SSE id.
    seq INTEGER NOT NULL,
    -- The event without its id, as JSON.
    data TEXT NOT NULL,
    PRIMARY KEY (call_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE number_claims (
    number TEXT PRIMARY KEY,
    call_id TEXT NOT NULL,
    until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX number_claims_until ON number_claims (until);

  -- One row per counted hit: a sliding-window log, exact like the other stores.
  CREATE TABLE limit_hits (
    key TEXT NOT NULL,
    at INTEGER NOT NULL,
    -- When the hit leaves the window it was counted in.
    until INTEGER NOT NULL
  );
  CREATE INDEX limit_hits_key_at ON limit_hits (key, at);
  CREATE INDEX limit_hits_until ON limit_hits (until);

  CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    -- The first answer as JSON; NULL while its request is in flight.
    answer TEXT,
    until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_keys_until ON idempotency_keys (until);

  CREATE TABLE once_claims (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
  ) WITHOUT ROWID;
  CREATE INDEX once_claims_until ON once_claims (until);

  CREATE TABLE orphan_reports (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    report TEXT NOT NULL
  );
  `,
  // 2: verifications of numbers by a spoken code, each number's current one; and counts by
  //    bucket for limits too large to log hit by hit.
  `
  CREATE TABLE verifications (
    verification_id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    -- The VerificationRecord as JSON (the code only as its hash).
    record TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used INTEGER NOT NULL DEFAULT 0,
    until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX verifications_until ON verifications (until);

  CREATE TABLE current_verifications (
    number TEXT PRIMARY KEY,
    verification_id TEXT NOT NULL,
    until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX current_verifications_until ON current_verifications (until);

  -- Hits of a large limit, counted per bucket (a sixtieth of its window).
  CREATE TABLE limit_buckets (
    key TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (key, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX limit_buckets_until ON limit_buckets (until);
  `,
  // 3: places taken in callback slots, each until it lapses.
  `
  CREATE TABLE slot_places (
    slot TEXT NOT NULL,
    call_id TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (slot, call_id)
  ) WITHOUT ROWID;
  CREATE INDEX slot_places_until ON slot_places (until);
  `,
  // 4: the console's history of calls, bookings and verifications, the counts its charts
  //    read, refusals counted by reason, and its sessions.
  `
  CREATE TABLE history (
    id TEXT PRIMARY KEY,
    -- The row as JSON (a HistoryRow): what the console shows, kept as it is.
    row TEXT NOT NULL,
    -- Copied out of the row for the indexes queries use.
    requested_at INTEGER NOT NULL,
    target TEXT NOT NULL,
    state TEXT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    keep_until INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- Pages are read newest first within a time range, narrowed by target, state or source.
  CREATE INDEX history_by_time ON history (requested_at, id);
  CREATE INDEX history_by_target ON history (target, requested_at, id);
  CREATE INDEX history_by_state ON history (state, requested_at, id);
  CREATE INDEX history_by_source ON history (source, requested_at, id);
  CREATE INDEX history_keep_until ON history (keep_until);

  -- How many rows were requested in each quarter hour and are in each state now, with
  -- their times to report: what charts read, kept up to date with every write of a row.
  CREATE TABLE history_counts (
    quarter INTEGER NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    state TEXT NOT NULL,
    count INTEGER NOT NULL,
    report_count INTEGER NOT NULL,
    report_ms_sum INTEGER NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (quarter, kind, source, target, state)
  ) WITHOUT ROWID;
  CREATE INDEX history_counts_keep_until ON history_counts (keep_until);

  CREATE TABLE refusal_counts (
    quarter INTEGER NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (quarter, reason)
  ) WITHOUT ROWID;
  CREATE INDEX refusal_counts_keep_until ON refusal_counts (keep_until);

  CREATE TABLE console_sessions (
    -- The hash of the session's cookie value, never the value itself.
    id TEXT PRIMARY KEY,
    session TEXT NOT NULL,
    until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX console_sessions_until ON console_sessions (until);
  `,
];

/** A database written by a newer version of this package, whose schema this one does not know. */
export class SchemaTooNewError extends Error {
  /** `where` names the database (`the SQLite store at PATH`); `otherwise`, what else can be done. */
  constructor(where: string, found: number, known: number, otherwise = 'or give this relay another file') {
    super(
      `${where} has schema version ${found}, newer than this mt-click-to-call knows (${known}): ` +
        `upgrade mt-click-to-call, ${otherwise}`,
    );
    this.name = 'SchemaTooNewError';
  }
}
