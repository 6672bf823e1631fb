import { positional, UNUSABLE_CODE, type SqlDriver, type SqlStatement } from '../store/sqlite/driver.js';

/** The SQLite result code a Durable Object's SQL error ends with (`…: SQLITE_FULL`). */
const RESULT_CODE = /\b(SQLITE_[A-Z_]+)\b/;

/**
 * The SQLite store's driver over a Durable Object's own storage (`ctx.storage.sql`). The
 * object runs one thing at a time and its SQL is synchronous, so a transaction
 * (`transactionSync`) never interleaves with another request. Statements are parsed on
 * each run (the runtime caches them); named parameters are bound by position, the only
 * way this storage binds.
 */
export function durableObjectDriver(storage: DurableObjectStorage): SqlDriver {
  let open = true;
  const sql = {
    exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T> {
      if (!open) throw new Error('The store was closed.');
      return storage.sql.exec<T>(query, ...bindings);
    },
  };
  return {
    prepare<P extends unknown[] = [], R = unknown>(source: string, pluck = false): SqlStatement<P, R> {
      const statement = positional(source.replace(/\s+/g, ' ').trim());
      const { names } = statement;
      const bindings = (params: unknown[]): unknown[] => {
        if (names.length === 0) return params;
        const named = params[0] as Record<string, unknown>;
        return names.map((name) => named[name]);
      };
      const rows = (params: unknown[]): R[] => {
        const cursor = sql.exec(statement.source, ...bindings(params));
        if (!pluck) return cursor.toArray() as R[];
        return Array.from(cursor.raw(), (row) => row[0] as R);
      };
      return {
        run: (...params) => {
          // Read to the end: a statement with RETURNING is done only then.
          sql.exec(statement.source, ...bindings(params)).toArray();
          // The cursor's rowsWritten counts index rows too: SQLite's own counts say what changed.
          const counts = sql.exec<{ changes: number; id: number }>(
            'SELECT changes() AS changes, last_insert_rowid() AS id',
          );
          const { changes, id } = counts.one();
          return { changes, lastInsertRowid: id };
        },
        get: (...params) => rows(params)[0],
        all: (...params) => rows(params),
      };
    },
    exec: (source) => void sql.exec(source).toArray(),
    transaction: (work) => storage.transactionSync(work),
    // SQLITE_AUTH is a statement this storage does not allow (a PRAGMA, say): a mistake.
    isUnusable: (err) => {
      if (!open) return true;
      const code = err instanceof Error ? RESULT_CODE.exec(err.message)?.[1] : undefined;
      return code !== undefined && code !== 'SQLITE_AUTH' && UNUSABLE_CODE.test(code);
    },
    get open() {
      return open;
    },
    // The storage is the object's, not the store's: closing only stops the store using it.
    close: () => {
      open = false;
    },
  };
}
