import { openDatabase } from './database.js';
import { SqliteCallStore, type SqlStoreOptions } from './sqlite-store.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions extends SqlStoreOptions {
  /** The database file; its folder is made if missing. One relay process per file. */
  path: string;
  /**
   * How long a write waits for a lock held by another connection (a backup, say) before
   * the store answers unavailable. It waits inside the process's one thread, so keep it
   * short. Default 1000 ms.
   */
  busyTimeoutMs?: number;
  /**
   * `normal` (default): an acknowledged write survives a crash of the process (`kill -9`),
   * not always one of the machine. `full`: it survives a power loss too, for an fsync at
   * every commit (about 1 ms, in the process's one thread).
   */
  synchronous?: 'full' | 'normal';
}

/**
 * Opens (creating it if need be) a {@link SqliteCallStore} in one file, through
 * better-sqlite3, its schema brought up to date.
 *
 * @throws {Error} with a one-line message when the file cannot be used (see `openDatabase`).
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteCallStore {
  const db = openDatabase({
    path: options.path,
    busyTimeoutMs: options.busyTimeoutMs ?? 1000,
    synchronous: options.synchronous ?? 'normal',
  });
  return new SqliteCallStore(db, options);
}
