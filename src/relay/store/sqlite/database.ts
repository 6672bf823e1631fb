import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { UNUSABLE_CODE, type SqlDriver, type SqlStatement } from './driver.js';
import { MIGRATIONS, SchemaTooNewError } from './migrations.js';
import { migrate } from './schema.js';

const requireCjs = createRequire(import.meta.url);
/**
 * better-sqlite3, a CommonJS package, loaded with `require`: imported as an ES module, Node
 * would first scan its sources for their exports, about 7 ms of the relay's start-up.
 */
const Database = requireCjs('better-sqlite3') as typeof BetterSqlite3;

/**
 * Where npm builds better-sqlite3's native part (or puts its prebuilt one). Given to it,
 * it loads that file instead of searching a dozen places for it (about 3 ms); where it is
 * elsewhere, better-sqlite3 searches as usual.
 */
function nativeBinding(): { nativeBinding?: string } {
  try {
    return { nativeBinding: requireCjs.resolve('better-sqlite3/build/Release/better_sqlite3.node') };
  } catch {
    return {};
  }
}

/** How a SQLite file is opened. */
export interface OpenOptions {
  path: string;
  /** How long a statement waits for a lock another connection holds. */
  busyTimeoutMs: number;
  /** See {@link openDatabase} on the choice. */
  synchronous: 'full' | 'normal';
}

/**
 * Opens (or creates) a store's file, ready to use: WAL, the durability asked for, a busy
 * timeout, and its schema brought up to date.
 *
 * The journal is WAL: the relay's one connection writes while others (a backup, an
 * operator's `sqlite3`) read, and a commit appends to one file instead of rewriting pages.
 *
 * `synchronous=NORMAL` (the default) is what an acknowledged write surviving `kill -9`
 * takes: in WAL mode a commit has been written to the WAL file, into the operating
 * system's hands, before it returns, so a crash of the process loses nothing; only a
 * crash of the machine or a power loss can take the last commits back (the WAL is
 * fsynced at each checkpoint, and the system writes dirty pages out within seconds).
 * That is the promise Redis makes with its default persistence too. `FULL` also fsyncs
 * the WAL at every commit, so a commit survives a power loss; measured here it costs
 * 0.6-2 ms a commit against 0.05-0.08 ms, and since better-sqlite3 runs in the
 * process's one thread, every request waits that long (a call makes about nine
 * commits). Choose it with `synchronous: 'full'` where a machine's crash must not lose
 * the last seconds of bookings.
 *
 * @throws {Error} with a one-line message when the file cannot be opened, is not a
 *   database, or was written by a newer version of this package.
 */
export function openDatabase(options: OpenOptions, migrations: readonly string[] = MIGRATIONS): SqlDriver {
  const { path } = options;
  let db: BetterSqlite3.Database | undefined;
  try {
    if (path !== ':memory:') {
      // Calls hold phone numbers: the folder and file are the relay's alone.
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      closeSync(openSync(path, 'a', 0o600));
    }
    const opened = (db = new Database(path, { timeout: options.busyTimeoutMs, ...nativeBinding() }));
    const journal = db.pragma('journal_mode = WAL', { simple: true });
    if (journal !== 'wal' && path !== ':memory:') {
      throw new Error(`its file system does not support SQLite's WAL journal (got "${String(journal)}")`);
    }
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    // The WAL is checkpointed into the database every 1,000 pages (SQLite's default) and
    // then written again from its start; this trims the file after a large transaction.
    db.pragma('journal_size_limit = 8388608');
    const driver = betterSqliteDriver(opened);
    // Files from before the version table kept it in `PRAGMA user_version`.
    const formerVersion = () => opened.pragma('user_version', { simple: true }) as number;
    migrate(driver, `the SQLite store at ${path}`, migrations, formerVersion);
    return driver;
  } catch (err) {
    db?.close();
    if (err instanceof SchemaTooNewError) throw err;
    throw new Error(`cannot open the SQLite store at ${path}: ${reason(err)}`, { cause: err });
  }
}

/** Why a file could not be opened, in one line. */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (
    message.startsWith('Could not locate the bindings file') ||
    (err as { code?: string }).code === 'ERR_DLOPEN_FAILED'
  ) {
    // The native part of better-sqlite3 was not built on install (npm 11 runs a
    // dependency's install script only once approved) or was built for another Node.js.
    return (
      'the native module of better-sqlite3 is missing or was built for another Node.js; ' +
      'run "npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3", or choose another store'
    );
  }
  return message.split('\n')[0]!;
}

/** The store's driver over a better-sqlite3 connection: statements prepared once, run in the process's thread. */
export function betterSqliteDriver(db: BetterSqlite3.Database): SqlDriver {
  // better-sqlite3 prepares a transaction's BEGIN and COMMIT once: one function for all work.
  const transaction = db.transaction(<T>(work: () => T) => work());
  return {
    prepare<P extends unknown[] = [], R = unknown>(source: string, pluck = false): SqlStatement<P, R> {
      const statement = db.prepare<P, R>(source.replace(/\s+/g, ' ').trim());
      return pluck ? statement.pluck() : statement;
    },
    exec: (source) => void db.exec(source),
    // IMMEDIATE: the write lock at once, no upgrade from a read lock that could fail half-way.
    transaction: <T>(work: () => T) => transaction.immediate(work) as T,
    isUnusable: (err) => !db.open || (err instanceof Database.SqliteError && UNUSABLE_CODE.test(err.code)),
    get open() {
      return db.open;
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}
