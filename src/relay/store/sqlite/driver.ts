/**
 * What the SQLite store needs of a SQLite database, so that one store runs on two: a file
 * through better-sqlite3 on Node (`database.ts`), and a Durable Object's own storage on
 * Cloudflare Workers (`relay/workers`). Everything here is synchronous, as both are: a
 * store's transaction never waits for anything but SQLite.
 */

/** A prepared statement, as the store runs it. */
export interface SqlStatement<P extends unknown[], R> {
  /** Runs it; answers how many rows it changed and, for an insert, the new row's id. */
  run(...params: P): { changes: number; lastInsertRowid: number | bigint };
  /** The first row (or its first column, when prepared to pluck), or `undefined`. */
  get(...params: P): R | undefined;
  /** Every row (or every row's first column, when prepared to pluck). */
  all(...params: P): R[];
}

/** A SQLite database as the store uses it. */
export interface SqlDriver {
  /**
   * Prepares a statement. Parameters are positional (`?`) or named (`@name`, bound from
   * one object); one statement uses one kind. `pluck` makes it answer a row's first column
   * rather than the row.
   */
  prepare<P extends unknown[] = [], R = unknown>(source: string, pluck?: boolean): SqlStatement<P, R>;
  /** Runs statements given as text, one after another (a schema step). */
  exec(source: string): void;
  /**
   * Runs `work` as one transaction, taking the write lock at once where the database has
   * locks: all of it is kept, or, when it throws, none of it.
   */
  transaction<T>(work: () => T): T;
  /**
   * Whether a failure means the database cannot be used right now (locked too long, a
   * failing disk, closed), rather than a mistake in a statement.
   */
  isUnusable(err: unknown): boolean;
  /** Whether it can still be used: not closed. */
  readonly open: boolean;
  close(): void;
}

/**
 * SQLite's answers that mean the database cannot be used right now, rather than a mistake
 * in a statement: locked past the busy timeout, a disk that fails or is full, a file gone
 * read-only or damaged.
 */
export const UNUSABLE_CODE =
  /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL|NOMEM|PERM|AUTH)/;

/** A statement with named parameters (`@name`) turned positional, for a database that binds only `?`. */
export interface PositionalStatement {
  source: string;
  /** The name bound to each `?`, in order; empty when the statement had no named ones. */
  names: string[];
}

/**
 * Turns `@name` parameters into `?`, remembering which name goes where (a name used twice
 * is bound twice). The store's statements hold no string literal with an `@` in it.
 */
export function positional(source: string): PositionalStatement {
  const names: string[] = [];
  const text = source.replace(/@([A-Za-z_]\w*)/g, (_, name: string) => {
    names.push(name);
    return '?';
  });
  return { source: text, names };
}
